package io.imgstream.web;

import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.ImgStreamException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * A multipart request's whole body, bounded by {@code MAX_UPLOAD_BYTES} while it is read. Each part is bounded on its
 * own by the upload; without this, a chunked request (no Content-Length) of two 20 MB parts would pass. The read that
 * crosses the limit — inside a part's upload or in the parser between parts — throws the 413 problem, and
 * {@link #exceeded()} tells the caller to stop reading parts.
 */
public final class BoundedRequest extends FilterInputStream {

    private final long limit;
    private final Supplier<ImgStreamException> tooLarge;
    private long count;
    private boolean exceeded;

    private BoundedRequest(InputStream in, long limit, Supplier<ImgStreamException> tooLarge) {
        super(in);
        this.limit = limit;
        this.tooLarge = tooLarge;
    }

    /**
     * The body of a request that may hold several files, bounded by {@code maxBytes} ({@code MAX_UPLOAD_BYTES}): one
     * that declares more is refused before a byte is read.
     *
     * @param declaredBytes the request's Content-Length, -1 when it declares none
     */
    public static BoundedRequest of(InputStream body, long declaredBytes, long maxBytes) {
        Supplier<ImgStreamException> tooLarge = () -> new ImgStreamException(ErrorCode.PAYLOAD_TOO_LARGE, "A request may hold"
                + " at most " + maxBytes + " bytes (MAX_UPLOAD_BYTES, also Cloud Run's request limit); send fewer files per request.");
        if (declaredBytes > maxBytes) {
            throw tooLarge.get();
        }
        return new BoundedRequest(body, maxBytes, tooLarge);
    }

    /** Whether the body went past the limit: nothing more of it may be read. */
    public boolean exceeded() {
        return exceeded;
    }

    /** The 413 problem a read past the limit throws. */
    public ImgStreamException refusal() {
        return tooLarge.get();
    }

    @Override
    public int read() throws IOException {
        check();
        int b = super.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        check();
        int n = super.read(b, off, len);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        check();
        long skipped = super.skip(n);
        counted(skipped);
        return skipped;
    }

    private void check() {
        if (exceeded) {
            throw refusal();
        }
    }

    private void counted(long n) {
        count += n;
        if (count > limit) {
            exceeded = true;
            throw refusal();
        }
    }
}
