package io.imgstream.adapter.jdbc;

import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.ImgStreamException;

import java.sql.SQLException;
import java.util.Set;

/**
 * The database failed; the client hears a problem without SQL, the log keeps the cause. Usually a 503 (retry later),
 * but text PostgreSQL cannot hold — a NUL character, which no validation upstream let through so far — is the
 * request's fault and never goes away by retrying: a 400.
 */
public final class DatabaseException extends ImgStreamException {

    /** SQLSTATEs of text the database cannot store: invalid byte sequence (a NUL), untranslatable character. */
    private static final Set<String> UNSTORABLE_TEXT = Set.of("22021", "22P05");

    /**
     * The failure of a repository, a transaction or the pool as this layer's exception: the SQLException in its cause
     * chain (the SQLSTATE decides the status) becomes the cause, or the failure itself where there is none.
     */
    static DatabaseException of(RuntimeException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return new DatabaseException(sql);
            }
        }
        return new DatabaseException(new SQLException(failure.getMessage(), "08000", failure));
    }

    public DatabaseException(SQLException cause) {
        super(unstorable(cause) ? ErrorCode.BAD_REQUEST : ErrorCode.SERVICE_UNAVAILABLE, unstorable(cause)
                ? "The request holds text that cannot be stored or searched (such as a NUL character)."
                : "The metadata database is unavailable; retry later.", cause);
    }

    private static boolean unstorable(SQLException e) {
        return e.getSQLState() != null && UNSTORABLE_TEXT.contains(e.getSQLState());
    }
}
