package io.imgstream.fetch;

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

/**
 * For the API document: the 412 of a read whose If-Match / If-Unmodified-Since no longer holds, with the validators the
 * image has now ({@code FetchController.preconditionFailed}), for its metadata and its content alike.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ApiResponse(responseCode = "412", description = "If-Match / If-Unmodified-Since did not hold",
        headers = {@Header(name = "ETag", description = "Strong validator of this representation", schema = @Schema(type = "string")),
                @Header(name = "Last-Modified", schema = @Schema(type = "string"))},
        content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.ReadImage.class)))
@interface ImagePreconditionFailed {
}
