package io.imgstream.web;

import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.ImgStreamException;
import io.micronaut.http.HttpRequest;
import io.micronaut.servlet.http.ServletHttpRequest;

import java.io.IOException;
import java.io.InputStream;

/** Request bodies read by the functions themselves, as they arrive, rather than bound (and buffered) by Micronaut. */
public final class RequestBodies {

    private RequestBodies() {
    }

    /**
     * The body as the Functions Framework delivers it, read once as it arrives: not the servlet layer's request
     * wrapper, which may buffer a body to offer it again.
     */
    public static InputStream stream(HttpRequest<?> request) throws IOException {
        Object nativeRequest = ((ServletHttpRequest<?, ?>) request).getNativeRequest();
        if (nativeRequest instanceof com.google.cloud.functions.HttpRequest functionsRequest) {
            return functionsRequest.getInputStream();
        }
        return ((ServletHttpRequest<?, ?>) request).getInputStream();
    }

    /**
     * The whole body, refused with 413 as soon as it passes {@code maxBytes} — a chunked body declares no length,
     * so the limit is enforced while reading, never after holding an unbounded body.
     */
    public static byte[] bounded(HttpRequest<?> request, long maxBytes, String what) throws IOException {
        long declared = request.getContentLength();
        if (declared > maxBytes) {
            throw tooLarge(maxBytes, what);
        }
        byte[] body;
        try (InputStream in = stream(request)) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        }
        if (body.length > maxBytes) {
            throw tooLarge(maxBytes, what);
        }
        return body;
    }

    private static ImgStreamException tooLarge(long maxBytes, String what) {
        return new ImgStreamException(ErrorCode.PAYLOAD_TOO_LARGE, what + " may hold at most " + maxBytes + " bytes.");
    }
}
