package io.imgstream.web;

import io.imgstream.application.CheckHealth;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.SerdeImport;

/** {@code GET /health}, the one open route of every HTTP function: 200 when all is up, else 503. */
@Controller("/health")
@SerdeImport(CheckHealth.Report.class)
public class HealthController {

    private final CheckHealth checkHealth;

    public HealthController(CheckHealth checkHealth) {
        this.checkHealth = checkHealth;
    }

    @Get
    public HttpResponse<CheckHealth.Report> health() {
        CheckHealth.Report report = checkHealth.check();
        // Cache-Control: no-store comes from CachePolicyFilter, as for every answer without a policy of its own.
        return HttpResponse.status(report.healthy() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(report);
    }
}
