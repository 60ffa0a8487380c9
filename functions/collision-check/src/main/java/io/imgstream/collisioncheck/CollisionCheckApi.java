package io.imgstream.collisioncheck;

import io.imgstream.web.ApiPart;
import io.imgstream.web.HealthController;
import io.micronaut.openapi.annotation.OpenAPIInclude;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/**
 * The collision-check function's part of the API document (micronaut-openapi writes it to
 * {@code META-INF/swagger/imgstream-collision-check.yml}; the fetch function merges it into the one served document):
 * the security schemes ({@link ApiPart}), {@code /health} and the request body; the problem codes of each operation are
 * in {@link io.imgstream.web.ApiProblems}. Documentation only.
 */
@OpenAPIInclude(classes = HealthController.class)
@ApiPart
final class CollisionCheckApi {

    private CollisionCheckApi() {
    }

    /** Either {@code files} (with optional SHA-256s) or {@code filenames}, not both. */
    @Schema(name = "CollisionCheckRequest", description = "Up to COLLISION_DETECTION_BATCH_SIZE items (default 500); "
            + "give either files or filenames, not both", minProperties = 1, maxProperties = 1)
    interface CheckRequest {
        @ArraySchema(schema = @Schema(implementation = FileItem.class))
        List<FileItem> getFiles();

        @ArraySchema(schema = @Schema(type = "string"))
        List<String> getFilenames();
    }

    @Schema(name = "CollisionCheckFile")
    interface FileItem {
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
        String getFilename();

        @Schema(description = "Hex SHA-256 of the bytes: lets the answer say identical, and name sameContentAs",
                pattern = "^[0-9a-fA-F]{64}$")
        String getSha256();
    }
}
