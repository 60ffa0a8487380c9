package io.imgstream.upload;

import io.imgstream.web.ApiProblems;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import static io.imgstream.upload.TusController.EVERY_ANSWER;
import static io.imgstream.upload.TusController.TUS;

/**
 * A tus chunk's body and answers, for the API document: one stereotype for {@code PATCH /uploads/{id}} and its
 * {@code X-HTTP-Method-Override} form, which take and answer alike. (Their header parameters stay in each
 * {@code @Operation}: a method-level {@code @Parameter} loses its schema in micronaut-openapi. A method using this and
 * no {@code @ApiResponse} of its own says {@code @ApiResponses}, empty: else micronaut-openapi adds a default 200.)
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@RequestBody(required = true, content = @Content(mediaType = "application/offset+octet-stream", schema = @Schema(type = "string", format = "binary")))
@ApiResponse(responseCode = "204", description = "Chunk stored; the last one also stores the image",
        headers = {@Header(name = "Upload-Offset", description = "Bytes received so far", schema = @Schema(type = "integer", format = "int64")), @Header(name = "Upload-Expires", description = "When an unfinished upload expires (HTTP date)", schema = @Schema(type = "string")), @Header(name = "ImgStream-Image-Id", description = "The stored image, once the last byte arrived", schema = @Schema(type = "string", format = "uuid")), @Header(name = TUS, description = EVERY_ANSWER, schema = @Schema(type = "string"))})
@ApiResponse(responseCode = "400", description = "Bad header", content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.Uploads.class)), headers = @Header(name = TUS, description = EVERY_ANSWER, schema = @Schema(type = "string")))
@ApiResponse(responseCode = "404", description = "No such upload of the caller's, or expired", content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.Uploads.class)), headers = @Header(name = TUS, description = EVERY_ANSWER, schema = @Schema(type = "string")))
@ApiResponse(responseCode = "409", description = "Offset mismatch, another writer, or (completing) filename_conflict", content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.Uploads.class)), headers = @Header(name = TUS, description = EVERY_ANSWER, schema = @Schema(type = "string")))
@ApiResponse(responseCode = "413", description = "Chunk over MAX_UPLOAD_BYTES or past Upload-Length", content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.Uploads.class)), headers = @Header(name = TUS, description = EVERY_ANSWER, schema = @Schema(type = "string")))
@TusChunkBodyResponses
public @interface TusChunkResponses {
}
