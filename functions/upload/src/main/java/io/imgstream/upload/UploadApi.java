package io.imgstream.upload;

import io.imgstream.web.ApiPart;
import io.imgstream.web.HealthController;
import io.imgstream.web.Problem;
import io.micronaut.openapi.annotation.OpenAPIInclude;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/**
 * The upload function's part of the API document (micronaut-openapi writes it to
 * {@code META-INF/swagger/imgstream-upload.yml}; the fetch function merges it into the one served document): the
 * security schemes, {@code /health}, and the problem codes of each operation. Documentation only.
 */
@OpenAPIInclude(classes = HealthController.class)
@ApiPart
final class UploadApi {

    private UploadApi() {
    }

    @Schema(name = "UploadImageProblem", allOf = Problem.class)
    interface UploadProblem {
        @Schema(allowableValues = {"bad_request", "invalid_parameter", "invalid_filename", "empty_file",
                "conflicting_api_keys", "filename_conflict", "precondition_failed", "payload_too_large",
                "unsupported_media_type", "image_too_large"})
        String getCode();
    }

    @Schema(name = "DeleteImageProblem", allOf = Problem.class)
    interface DeleteProblem {
        @Schema(allowableValues = {"bad_request", "conflicting_api_keys", "not_found", "precondition_failed",
                "unsupported_media_type"})
        String getCode();
    }

    @Schema(name = "UploadsProblem", allOf = Problem.class)
    interface TusProblem {
        @Schema(allowableValues = {"bad_request", "invalid_parameter", "invalid_filename", "empty_file",
                "conflicting_api_keys", "not_found", "method_not_allowed", "filename_conflict", "upload_offset_mismatch",
                "upload_busy", "upload_finished", "tus_version_unsupported", "payload_too_large",
                "unsupported_media_type", "image_too_large", "checksum_mismatch"})
        String getCode();
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
