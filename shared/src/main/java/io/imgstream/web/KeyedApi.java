package io.imgstream.web;

import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * For the API document: a controller whose every operation takes an API key (Bearer or X-API-Key) and may answer the
 * problems every keyed request may meet — 401 (ApiKeyFilter), 403 (CorsRefusalFilter), 500 and 503 (ProblemResponses).
 * A stereotype, read by micronaut-openapi at build time, so that the four answers are written once.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@SecurityRequirement(name = "bearer")
@SecurityRequirement(name = "apiKey")
@ApiResponse(responseCode = "401", description = "No key, or a malformed, unknown or revoked one",
        headers = @Header(name = "WWW-Authenticate", schema = @Schema(type = "string")),
        content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.Unauthorized.class)))
@ApiResponse(responseCode = "403", description = "A browser origin not in ALLOWED_ORIGINS",
        content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.Forbidden.class)))
@ApiResponse(responseCode = "500", description = "An unexpected failure (no detail leaks)",
        content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.Internal.class)))
@ApiResponse(responseCode = "503", description = "A dependency (the database, storage, or a render slot) did not answer in"
        + " time; retry after Retry-After seconds",
        headers = @Header(name = "Retry-After", schema = @Schema(type = "integer")),
        content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.Unavailable.class)))
public @interface KeyedApi {
}
