package io.imgstream.web;

import io.imgstream.application.CheckHealth;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.SerdeImport;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;

/** {@code GET /health}, the one open route of every HTTP function: 200 when all is up, else 503. */
@Controller("/health")
@SerdeImport(CheckHealth.Report.class)
public class HealthController {

    private final CheckHealth checkHealth;

    public HealthController(CheckHealth checkHealth) {
        this.checkHealth = checkHealth;
    }

    @Operation(operationId = "getHealth", summary = "Whether this function and its database and storage are up",
            description = "Served by every function on its own URL, without a key; the front door does not route it.")
    @SecurityRequirements
    @Tag(name = "health")
    @ApiResponse(responseCode = "200", description = "All services up",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = CheckHealth.Report.class)))
    @ApiResponse(responseCode = "503", description = "A service is down; services names it",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = CheckHealth.Report.class)))
    @ApiResponse(responseCode = "403", description = "A browser origin not in ALLOWED_ORIGINS",
            content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.Forbidden.class)))
    @Get
    public HttpResponse<CheckHealth.Report> health() {
        CheckHealth.Report report = checkHealth.check();
        // Cache-Control: no-store comes from CachePolicyFilter, as for every answer without a policy of its own.
        return HttpResponse.status(report.healthy() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(report);
    }
}
