package io.imgstream.application.upload;

import io.imgstream.domain.Caller;
import io.imgstream.domain.ConflictPolicy;
import io.imgstream.domain.Precondition;

import java.io.InputStream;

/**
 * One file to store.
 *
 * @param filename      the client's name for it, not yet validated
 * @param body          its bytes, read once, as they arrive
 * @param declaredBytes the declared length, or -1 when unknown (chunked body, multipart part)
 * @param precondition  what the image of that name must be for the upload to change it ({@code If-Match} before an
 *                      overwrite, {@code If-None-Match: *} for create-only)
 * @param maxBytes      the most bytes this upload may hold; 0 means {@code MAX_UPLOAD_BYTES} (one request), a resumable
 *                      upload's completion gives {@code MAX_RESUMABLE_BYTES}
 */
public record UploadCommand(Caller caller, String filename, InputStream body, long declaredBytes, ConflictPolicy policy,
                            Precondition precondition, long maxBytes) {

    public UploadCommand(Caller caller, String filename, InputStream body, long declaredBytes, ConflictPolicy policy,
                         Precondition precondition) {
        this(caller, filename, body, declaredBytes, policy, precondition, 0);
    }

    public UploadCommand(Caller caller, String filename, InputStream body, long declaredBytes, ConflictPolicy policy) {
        this(caller, filename, body, declaredBytes, policy, Precondition.NONE);
    }
}
