package io.imgstream.application.upload;

import io.imgstream.domain.Caller;
import io.imgstream.domain.ConflictPolicy;

import java.io.InputStream;

/**
 * One file to store.
 *
 * @param filename      the client's name for it, not yet validated
 * @param body          its bytes, read once, as they arrive
 * @param declaredBytes the declared length, or -1 when unknown (chunked body, multipart part)
 */
public record UploadCommand(Caller caller, String filename, InputStream body, long declaredBytes, ConflictPolicy policy) {
}
