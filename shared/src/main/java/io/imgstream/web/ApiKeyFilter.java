package io.imgstream.web;

import io.imgstream.application.AuthenticateCaller;
import io.imgstream.domain.Caller;
import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.ImgStreamException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.util.List;

/**
 * Authenticates every request of every HTTP function but {@code /health}, the API document ({@code /openapi.yaml},
 * {@code /docs}) and CORS preflights. A key in
 * the query string is never read. The caller is left in the request attribute {@link Caller#ATTRIBUTE}.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class ApiKeyFilter implements Ordered {

    public static final String API_KEY_HEADER = "X-API-Key";

    private final AuthenticateCaller authenticate;

    public ApiKeyFilter(AuthenticateCaller authenticate) {
        this.authenticate = authenticate;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> authenticate(HttpRequest<?> request) {
        if (isOpen(request)) {
            return null;
        }
        try {
            Caller caller = authenticate.authenticate(single(request, HttpHeaders.AUTHORIZATION),
                    single(request, API_KEY_HEADER));
            request.setAttribute(Caller.ATTRIBUTE, caller);
            return null;
        } catch (ImgStreamException e) {
            return ProblemResponses.of(e, request);
        }
    }

    /**
     * The header's one value. Sent twice with different values it is refused, as two different keys in the two headers
     * are: which one a proxy, a log or this server takes would decide who the caller is.
     */
    private static @Nullable String single(HttpRequest<?> request, String name) {
        List<String> values = request.getHeaders().getAll(name);
        if (values.isEmpty()) {
            return null;
        }
        for (String value : values) { // every request passes here: no stream for the usual single value
            if (!value.equals(values.get(0))) {
                throw new ImgStreamException(ErrorCode.CONFLICTING_API_KEYS,
                        name + " is sent more than once with different values; send one key.");
            }
        }
        return values.get(0);
    }

    private static boolean isOpen(HttpRequest<?> request) {
        String path = request.getPath();
        if (path.equals("/health") || path.equals("/health/") || path.equals("/openapi.yaml") || path.equals("/docs")
                || path.startsWith("/docs/")) {
            return true;
        }
        return request.getMethod() == HttpMethod.OPTIONS
                && request.getHeaders().contains(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD);
    }

    @Override
    public int getOrder() {
        return TraceContextFilter.ORDER + 1;
    }
}
