package io.imgstream.adapter.jdbc;

import io.imgstream.domain.ErrorCode;
import io.imgstream.dev.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What a database failure tells the client: retry (503) unless retrying cannot help. */
class DatabaseExceptionTest {

    @Test
    void textPostgreSqlCannotHoldIsTheRequestsFaultNotAnOutage() {
        JdbcImageCatalog catalog = JdbcAdapters.testDatabase().catalog();
        DatabaseException e = assertThrows(DatabaseException.class,
                () -> catalog.findLiveByKey(UUID.randomUUID(), "a\0b.png"));
        assertEquals(ErrorCode.BAD_REQUEST, e.code(), e.getCause().toString());
        assertEquals("22021", ((SQLException) e.getCause()).getSQLState());
    }

    @Test
    void aLostConnectionIsAnOutageToRetry() {
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE,
                new DatabaseException(new SQLException("connection lost", "08006")).code());
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, new DatabaseException(new SQLException("no state")).code());
    }
}
