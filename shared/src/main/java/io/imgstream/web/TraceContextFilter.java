package io.imgstream.web;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import org.slf4j.MDC;

/**
 * Puts the trace id of {@code X-Cloud-Trace-Context} into the logging context, so that Cloud Logging
 * groups a request's log lines under its trace.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class TraceContextFilter implements Ordered {

    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;
    public static final String MDC_TRACE = "trace";

    @RequestFilter
    public void start(HttpRequest<?> request) {
        String header = request.getHeaders().get("X-Cloud-Trace-Context");
        if (header != null && !header.isBlank()) {
            int slash = header.indexOf('/');
            String traceId = slash < 0 ? header : header.substring(0, slash);
            if (traceId.matches("[0-9a-fA-F]{1,64}")) {
                MDC.put(MDC_TRACE, traceId);
            }
        }
    }

    @ResponseFilter
    public void end() {
        MDC.remove(MDC_TRACE);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
