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
        try (InputStream in = stream(request)) {
            if (declared > maxBytes) {
                throw tooLarge(maxBytes, what);
            }
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) {
                throw tooLarge(maxBytes, what);
            }
            return body;
        }
    }

    /**
     * Before any 413 goes out ({@link ImgStreamExceptionHandler}): reads and drops what is left of the body when that
     * is at most {@link #COURTESY_BYTES} — a declared body that small (refused from its length, so unread), or up to
     * that much more of a chunked one (refused part-way, its rest unknown) — and nothing otherwise.
     */
    static void drainBeforeRefusing(HttpRequest<?> request) throws IOException {
        long declared = request.getContentLength();
        if (declared <= COURTESY_BYTES) {
            discard(stream(request), declared > 0 ? declared : COURTESY_BYTES);
        }
    }

    /**
     * How far past the limit a refused body is still read (and dropped) so that its 413 arrives: a server that closes a
     * connection with unread bytes resets it, and a client still sending then loses the answer ("header parser
     * received no bytes" instead of the problem). A body further over the limit is not read: the refusal comes first.
     */
    static final long COURTESY_BYTES = 1024 * 1024;

    private static void discard(InputStream in, long atMost) throws IOException {
        byte[] sink = new byte[64 * 1024];
        long left = atMost;
        int n;
        while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
            left -= n;
        }
    }

    private static ImgStreamException tooLarge(long maxBytes, String what) {
        return new ImgStreamException(ErrorCode.PAYLOAD_TOO_LARGE, what + " may hold at most " + maxBytes + " bytes.");
    }
}
