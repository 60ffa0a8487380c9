package io.imgstream.application.upload;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * The client's body on its way to storage: counts bytes against the limit, computes SHA-256 as it goes, and
 * marks its own read failures as the client's, so that a storage error and a client error are told apart.
 */
public final class GuardedBodyStream extends FilterInputStream {

    private final long limit;
    private final MessageDigest digest;
    private long count;

    /** @param digest what the bytes are hashed with as they pass, or null for none */
    public GuardedBodyStream(InputStream in, long limit, MessageDigest digest) {
        super(in);
        this.limit = limit;
        this.digest = digest;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = super.read(b, off, len);
        } catch (IOException e) {
            throw new ClientStreamException("the upload was interrupted", e);
        }
        if (n > 0) {
            count += n;
            if (count > limit) {
                throw new PayloadTooLargeException(limit);
            }
            if (digest != null) {
                digest.update(b, off, n);
            }
        }
        return n;
    }

    public long count() {
        return count;
    }

    /** The digest of what was read (SHA-256 for an upload, the client's algorithm for a resumable chunk). */
    public byte[] sha256() {
        return digest.digest();
    }
}
