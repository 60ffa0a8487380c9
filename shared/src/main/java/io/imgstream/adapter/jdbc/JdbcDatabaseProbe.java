package io.imgstream.adapter.jdbc;

import io.imgstream.application.port.DatabaseProbe;
import io.micronaut.data.connection.ConnectionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The schema version /health compares with this build's. Plain JDBC on the scope's connection, not a repository: it reads
 * Flyway's table, which may not exist yet. Bounded as every statement is, by the pool's bounds (DataSourceSettings), and
 * deliberately without {@code setQueryTimeout}: against a hung server pgjdbc's cancel of a timed-out statement opens a
 * connection of its own, and closing the statement waits for that cancel (up to {@code cancelSignalTimeout}), which made
 * /health take 13 s instead of the socket bound's 5.
 */
@Singleton
class JdbcDatabaseProbe implements DatabaseProbe {

    private final ConnectionOperations<Connection> connections;

    JdbcDatabaseProbe(ConnectionOperations<Connection> connections) {
        this.connections = connections;
    }

    @Override
    public int schemaVersion() {
        return Sql.call(() -> connections.executeRead(status -> {
            try (Statement st = status.getConnection().createStatement()) {
                try (ResultSet rs = st.executeQuery("select to_regclass('flyway_schema_history') is not null")) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        return -1;
                    }
                }
                try (ResultSet rs = st.executeQuery(
                        "select coalesce(max(version::int), -1) from flyway_schema_history where success")) {
                    rs.next();
                    return rs.getInt(1);
                }
            } catch (SQLException e) {
                throw new DatabaseException(e);
            }
        }));
    }
}
