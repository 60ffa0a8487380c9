package io.imgstream.web;

import io.imgstream.domain.ErrorCode;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Micronaut's CORS filter refuses a request from an origin outside {@code ALLOWED_ORIGINS} (and, on a loopback server,
 * any non-local origin) with a bare 403: no body, no content type. This filter runs around it and gives that refusal
 * the problem body every other error has. It only touches a bodiless 403 of a request that carries an {@code Origin}:
 * no route of ours answers 403 without a problem.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class CorsRefusalFilter implements Ordered {

    @ResponseFilter
    public void explain(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (response.status() != HttpStatus.FORBIDDEN || response.getBody().isPresent()
                || !request.getHeaders().contains(HttpHeaders.ORIGIN)) {
            return;
        }
        ProblemResponses.fill(response, ErrorCode.ORIGIN_NOT_ALLOWED, "Cross-origin requests from this Origin are not"
                + " allowed; the operator lists the browser origins that may call this API in ALLOWED_ORIGINS.", null, request);
    }

    /** Before Micronaut's CORS filter, so that its response filter sees the CORS filter's answer. */
    @Override
    public int getOrder() {
        return TraceContextFilter.ORDER - 1;
    }
}
