package io.imgstream.web;

import io.imgstream.domain.ErrorCode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.util.Locale;

/**
 * A request body with a content coding ({@code Content-Encoding: gzip}…) is refused with 415 and
 * {@code Accept-Encoding: identity} (RFC 9110 §8.4, §15.5.16): no function decodes one, and reading the coded bytes as
 * they are would store a gzip stream as an image (or refuse a gzipped JSON body as "not JSON", which it is not). Runs
 * after authentication, before any route reads the body.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class ContentEncodingFilter implements Ordered {

    @RequestFilter
    @Nullable
    public HttpResponse<?> refuseCodedBodies(HttpRequest<?> request) {
        String coding = coding(request.getHeaders());
        if (coding == null) {
            return null;
        }
        return ProblemResponses.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The body is sent with Content-Encoding: "
                        + coding + "; send it as it is (no content coding): images are already compressed.", null, request)
                .header(HttpHeaders.ACCEPT_ENCODING, "identity");
    }

    /** The coding other than {@code identity}, or null; a header without a body is no body's coding. */
    static @Nullable String coding(HttpHeaders headers) {
        if (!headers.contains(HttpHeaders.CONTENT_ENCODING) || !(headers.contains(HttpHeaders.TRANSFER_ENCODING)
                || headers.contentLength().orElse(0L) > 0)) {
            return null;
        }
        for (String value : headers.getAll(HttpHeaders.CONTENT_ENCODING)) {
            for (String token : value.split(",")) {
                String coding = token.trim().toLowerCase(Locale.ROOT);
                if (!coding.isEmpty() && !coding.equals("identity")) {
                    return coding.length() > 64 ? coding.substring(0, 64) + "…" : coding;
                }
            }
        }
        return null;
    }

    @Override
    public int getOrder() {
        return TraceContextFilter.ORDER + 2;
    }
}
