package io.imgstream.application.port;

import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.ImgStreamException;

/** The object store failed; the client hears 503 without bucket names or paths, the log keeps the cause. */
public final class StorageUnavailableException extends ImgStreamException {
    public StorageUnavailableException(Throwable cause) {
        super(ErrorCode.SERVICE_UNAVAILABLE, "The image store is unavailable; retry later.", cause);
    }
}
