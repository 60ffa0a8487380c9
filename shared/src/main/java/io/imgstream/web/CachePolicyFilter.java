package io.imgstream.web;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Every answer that does not say how it may be cached says {@code Cache-Control: no-store}. Without it a listing, a
 * collision answer or a 404 is heuristically cacheable (RFC 9111 §4.2.2), and a shared cache in front of the function
 * would not know the answer belongs to one caller: {@code X-API-Key}, unlike {@code Authorization}, does not stop a
 * shared cache from storing it (§3.5). Answers with a cache policy of their own (metadata, content, a redirect) keep it.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class CachePolicyFilter implements Ordered {

    @ResponseFilter
    public void defaultToNoStore(MutableHttpResponse<?> response) {
        if (!response.getHeaders().contains(HttpHeaders.CACHE_CONTROL)) {
            response.header(HttpHeaders.CACHE_CONTROL, "no-store");
        }
    }

    @Override
    public int getOrder() {
        return TraceContextFilter.ORDER;
    }
}
