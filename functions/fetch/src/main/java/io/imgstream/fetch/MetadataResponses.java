package io.imgstream.fetch;

import io.imgstream.web.ApiProblems;
import io.imgstream.web.ImageView;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * For the API document: the answers an image's metadata gives, by id or by name. The 200 is here too, so that
 * micronaut-openapi, finding an answer for the method's status, adds no default one of its own.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@ApiResponse(responseCode = "200", description = "The image's metadata",
        headers = {@Header(name = "ETag", description = "Strong validator of this representation", schema = @Schema(type = "string")), @Header(name = "Cache-Control", schema = @Schema(type = "string"))},
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ImageView.class)))
@ApiResponse(responseCode = "304", description = "Not modified (If-None-Match)", headers = {@Header(name = "ETag", description = "Strong validator of this representation", schema = @Schema(type = "string")), @Header(name = "Cache-Control", schema = @Schema(type = "string"))})
@ApiResponse(responseCode = "400", description = "Bad parameter",
        content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.ReadImage.class)))
@ApiResponse(responseCode = "404", description = "No such image of the caller's",
        content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.ReadImage.class)))
@ImagePreconditionFailed
@interface MetadataResponses {
}
