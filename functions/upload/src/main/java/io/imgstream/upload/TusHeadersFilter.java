package io.imgstream.upload;

import io.imgstream.application.resumable.ResumableUploads;
import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.ImgStreamException;
import io.imgstream.web.ProblemResponses;
import io.imgstream.web.TraceContextFilter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * tus 1.0.0 on {@code /uploads}: every request but {@code OPTIONS} names the protocol version ({@code Tus-Resumable:
 * 1.0.0}, else 412 with {@code Tus-Version}), and every answer, problems included, carries {@code Tus-Resumable}.
 */
@ServerFilter({"/uploads", "/uploads/**"})
public class TusHeadersFilter implements Ordered {

    static final String TUS_RESUMABLE = "Tus-Resumable";

    @RequestFilter
    public @Nullable HttpResponse<?> requireVersion(HttpRequest<?> request) {
        if (request.getMethod() == HttpMethod.OPTIONS) {
            return null;
        }
        String version = request.getHeaders().get(TUS_RESUMABLE);
        if (ResumableUploads.VERSION.equals(version)) {
            return null;
        }
        return ProblemResponses.of(new ImgStreamException(ErrorCode.TUS_VERSION_UNSUPPORTED, version == null
                ? "Send Tus-Resumable: 1.0.0 with every request to /uploads (the tus protocol version)."
                : "Tus-Resumable " + version + " is not served; this server speaks tus 1.0.0."), request)
                .header("Tus-Version", ResumableUploads.VERSION).header(TUS_RESUMABLE, ResumableUploads.VERSION);
    }

    @ResponseFilter
    public void addVersion(MutableHttpResponse<?> response) {
        response.header(TUS_RESUMABLE, ResumableUploads.VERSION);
    }

    /** After the key check (an unauthenticated request hears 401 first). */
    @Override
    public int getOrder() {
        return TraceContextFilter.ORDER + 2;
    }
}
