package io.imgstream.adapter.jdbc;

import io.imgstream.application.port.DatabaseProbe;
import io.micronaut.data.connection.ConnectionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The schema version /health compares with this build's. Plain JDBC on the scope's connection, not a repository: the
 * probe bounds each statement ({@code setQueryTimeout}), which a repository method cannot say, and it reads Flyway's
 * table, which may not exist yet.
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
                st.setQueryTimeout(3);
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
