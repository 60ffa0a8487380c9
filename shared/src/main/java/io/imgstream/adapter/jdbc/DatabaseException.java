package io.imgstream.adapter.jdbc;

import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.ImgStreamException;

import java.sql.SQLException;

/** The database failed; the client hears 503 without SQL, the log keeps the cause. */
public final class DatabaseException extends ImgStreamException {
    public DatabaseException(SQLException cause) {
        super(ErrorCode.SERVICE_UNAVAILABLE, "The metadata database is unavailable; retry later.", cause);
    }
}
