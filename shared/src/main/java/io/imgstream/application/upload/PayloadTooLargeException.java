package io.imgstream.application.upload;

/** The body went past {@code MAX_UPLOAD_BYTES} while streaming (no Content-Length, or a wrong one). */
public final class PayloadTooLargeException extends ClientStreamException {
    public PayloadTooLargeException(long limit) {
        super("more than " + limit + " bytes", null);
    }
}
