package io.imgstream.upload;

import io.imgstream.web.ApiProblems;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import static io.imgstream.upload.TusController.EVERY_ANSWER;
import static io.imgstream.upload.TusController.TUS;

/**
 * The refusals of a request that carries a tus chunk — {@code PATCH /uploads/{id}}, its {@code X-HTTP-Method-Override}
 * form (both through {@link TusChunkResponses}) and a {@code POST /uploads} creating with its first chunk: the chunk's
 * type, its checksum, and what completing the upload with it can meet. For the API document.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ApiResponse(responseCode = "415", description = "Not application/offset+octet-stream, or (completing) not an image",
        headers = {@Header(name = "Accept-Encoding", description = "identity, when the body came with a content coding",
                schema = @Schema(type = "string")),
                @Header(name = TUS, description = EVERY_ANSWER, schema = @Schema(type = "string"))},
        content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.Uploads.class)))
@ApiResponse(responseCode = "422", description = "(completing) image_too_large", content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.Uploads.class)), headers = @Header(name = TUS, description = EVERY_ANSWER, schema = @Schema(type = "string")))
@ApiResponse(responseCode = "460", description = "checksum_mismatch: the chunk was discarded", content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.Uploads.class)), headers = @Header(name = TUS, description = EVERY_ANSWER, schema = @Schema(type = "string")))
@interface TusChunkBodyResponses {
}
