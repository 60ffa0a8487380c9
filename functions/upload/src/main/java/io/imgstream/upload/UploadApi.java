package io.imgstream.upload;

import io.imgstream.web.ApiPart;
import io.imgstream.web.HealthController;
import io.micronaut.openapi.annotation.OpenAPIInclude;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/**
 * The upload function's part of the API document (micronaut-openapi writes it to
 * {@code META-INF/swagger/imgstream-upload.yml}; the fetch function merges it into the one served document): the
 * security schemes ({@link ApiPart}), {@code /health} and the multipart body; the problem codes of each operation are in
 * {@link io.imgstream.web.ApiProblems}. Documentation only.
 */
@OpenAPIInclude(classes = HealthController.class)
@ApiPart
final class UploadApi {

    private UploadApi() {
    }

    /** A multipart upload: one or more {@code file} parts, each named by its filename; optionally the policy first. */
    @Schema(name = "MultipartUpload")
    interface MultipartUpload {
        @Schema(description = "Conflict policy; before the file parts (or give ?onConflict=)",
                allowableValues = {"reject", "overwrite", "rename", "skip"})
        String getOnConflict();

        @ArraySchema(arraySchema = @Schema(description = "The images; each part's filename names it"),
                schema = @Schema(type = "string", format = "binary"))
        List<String> getFile();
    }
}
