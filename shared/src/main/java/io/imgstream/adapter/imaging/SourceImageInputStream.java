package io.imgstream.adapter.imaging;

import io.imgstream.application.port.ThumbnailRenderer.Source;

import javax.imageio.stream.ImageInputStreamImpl;
import java.io.IOException;
import java.io.InputStream;

/**
 * An {@link javax.imageio.stream.ImageInputStream} over stored bytes that holds one window of them, never the whole
 * file: ImageIO's own streams over an {@code InputStream} cache every byte read (in memory or in a temporary file, which
 * on Cloud Run is memory too), so a 25 MB source would cost 25 MB before a pixel is decoded. Reading forward streams
 * through one open read; a seek outside the window (a TIFF directory at the end of the file) reopens at the offset.
 */
final class SourceImageInputStream extends ImageInputStreamImpl {

    static final int WINDOW = 64 * 1024;
    /** A forward seek shorter than this skips through the open read instead of opening another. */
    private static final long SKIP_LIMIT = 1024 * 1024;

    private final Source source;
    private final byte[] window = new byte[WINDOW];
    private long windowStart;
    private int windowLength;
    private InputStream in;
    private long inPosition;
    private int opens;

    SourceImageInputStream(Source source) {
        this.source = source;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        checkClosed();
        bitOffset = 0;
        if (len == 0) {
            return 0;
        }
        if (streamPos >= source.size()) {
            return -1;
        }
        if (streamPos < windowStart || streamPos >= windowStart + windowLength) {
            fill(streamPos);
            if (windowLength == 0) {
                return -1;
            }
        }
        int n = (int) Math.min(len, windowStart + windowLength - streamPos);
        System.arraycopy(window, (int) (streamPos - windowStart), b, off, n);
        streamPos += n;
        return n;
    }

    /** Loads the window that starts at {@code position}, keeping the open read when it lies just ahead. */
    private void fill(long position) throws IOException {
        if (in == null || position < inPosition || position - inPosition > SKIP_LIMIT) {
            closeRead();
            in = source.openAt(position);
            inPosition = position;
            opens++;
        }
        in.skipNBytes(position - inPosition);
        inPosition = position;
        windowStart = position;
        windowLength = Math.max(0, in.readNBytes(window, 0, WINDOW));
        inPosition += windowLength;
    }

    @Override
    public long length() {
        return source.size();
    }

    /** How many reads of the source were opened: one for a sequential decode. */
    int opens() {
        return opens;
    }

    private void closeRead() throws IOException {
        if (in != null) {
            in.close();
            in = null;
        }
    }

    @Override
    public void close() throws IOException {
        super.close();
        closeRead();
    }
}
