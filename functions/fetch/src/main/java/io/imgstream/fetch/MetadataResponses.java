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
 * For the API document: the answers beside the 200 that an image's metadata gives, by id or by name (each method names
 * its 200 itself: micronaut-openapi adds a default 200 to an operation whose own annotations name no answer).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@ApiResponse(responseCode = "304", description = "Not modified (If-None-Match)", headers = {@Header(name = "ETag", description = "Strong validator of this representation", schema = @Schema(type = "string")), @Header(name = "Cache-Control", schema = @Schema(type = "string"))})
@ApiResponse(responseCode = "400", description = "Bad parameter",
        content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = FetchApi.ReadProblem.class)))
@ApiResponse(responseCode = "404", description = "No such image of the caller's",
        content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = FetchApi.ReadProblem.class)))
@ApiResponse(responseCode = "412", description = "If-Match / If-Unmodified-Since did not hold",
        headers = {@Header(name = "ETag", description = "Strong validator of this representation", schema = @Schema(type = "string")), @Header(name = "Last-Modified", schema = @Schema(type = "string"))},
        content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = FetchApi.ReadProblem.class)))
@interface MetadataResponses {
}
