package io.imgstream.adapter.jdbc;

import io.imgstream.application.port.DatabaseProbe;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

@Singleton
class JdbcDatabaseProbe implements DatabaseProbe {

    private final DataSource dataSource;

    JdbcDatabaseProbe(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public int schemaVersion() {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
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
    }
}
