package io.imgstream.fetch;

import io.imgstream.web.ApiPart;
import io.imgstream.web.HealthController;
import io.micronaut.openapi.annotation.OpenAPIInclude;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.servers.Server;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The API document's head (micronaut-openapi writes {@code META-INF/swagger/imgstream.yml}, merging the upload and
 * collision-check functions' parts, copied to {@code target/openapi-fragments} before compiling): info, the one
 * server (the local gateway; {@link ApiDocumentController} serves {@code API_BASE_URL} instead when set), the two ways
 * to send a key ({@link ApiPart}) and {@code /health}; the problem codes of each operation are in
 * {@link io.imgstream.web.ApiProblems}. Documentation only.
 */
@OpenAPIDefinition(
        info = @Info(title = "ImgStream", version = "1.0",
                description = "A serverless image store: upload images with collision protection, fetch them back "
                        + "(content, ranges, thumbnails), check a batch for collisions before uploading, resume large "
                        + "uploads over tus 1.0.0. Every error is RFC 9457 application/problem+json with a stable code."),
        servers = @Server(url = ApiDocumentController.DEFAULT_SERVER, description = "The local gateway (./imgstream local)"),
        tags = {
                @Tag(name = "images", description = "Upload, list, read and delete images"),
                @Tag(name = "uploads", description = "Resumable uploads: tus 1.0.0 (creation, creation-with-upload, "
                        + "termination, expiration, checksum). Every request but OPTIONS sends Tus-Resumable: 1.0.0."),
                @Tag(name = "collision-check", description = "What an upload would meet, before uploading"),
                @Tag(name = "health", description = "Each function's liveness, on its own URL"),
                @Tag(name = "document", description = "This document and its rendering")})
@OpenAPIInclude(classes = HealthController.class)
@ApiPart
final class FetchApi {

    private FetchApi() {
    }
}
