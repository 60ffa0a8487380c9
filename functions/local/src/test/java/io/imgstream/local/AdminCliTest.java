package io.imgstream.local;

import io.imgstream.application.CheckHealth;
import io.imgstream.dev.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdminCliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void clean() {
        TestDatabase.truncateAll();
        out.reset();
        err.reset();
    }

    private int admin(Map<String, String> env, String... args) {
        return AdminCli.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private int admin(String... args) {
        return admin(Map.of("DATABASE_URL", TestDatabase.jdbcUrl()), args);
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void createsUsersAndKeysAndRevokesThem() {
        assertEquals(0, admin("users", "create", "alice"));
        String firstKey = output().lines().filter(l -> l.startsWith("isk_")).findFirst().orElseThrow();
        out.reset();
        assertEquals(0, admin("keys", "list", "alice"));
        String keyId = output().lines().findFirst().orElseThrow().split("\t")[0];
        assertTrue(output().contains(firstKey.substring(0, 8)) && !output().contains(firstKey));
        out.reset();
        assertEquals(0, admin("keys", "rotate", "alice", keyId));
        assertTrue(output().startsWith("isk_"));
        assertEquals(1, TestDatabase.count("select count(*) from api_keys where revoked_at is not null"));
        assertEquals(0, admin("users", "disable", "alice"));
        assertEquals(1, TestDatabase.count("select count(*) from users where status = 'DISABLED'"));
    }

    @Test
    void refusesADuplicateUserAndUnknownUsers() {
        assertEquals(0, admin("users", "create", "bob"));
        assertEquals(1, admin("users", "create", "BOB"));
        assertEquals(1, admin("keys", "create", "nobody"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("No user named 'nobody'"));
    }

    @Test
    void resetIsRefusedOutsideDevelopment() {
        assertEquals(0, admin("users", "create", "carol"));
        assertEquals(3, admin(Map.of("DATABASE_URL", TestDatabase.jdbcUrl(), "ENVIRONMENT", "production"), "db", "reset"));
        assertEquals(3, admin(Map.of("DATABASE_URL", TestDatabase.jdbcUrl()), "db", "reset"));
        assertEquals(1, TestDatabase.count("select count(*) from users"));
    }

    @Test
    void neverMigratesADatabaseNamedByDatabaseUrlExceptOnDbMigrate() {
        // A deployed database whose schema is behind this CLI: a key command must not upgrade it under running functions.
        Map<String, String> env = Map.of("DATABASE_URL", TestDatabase.emptyDatabase("behind_" + System.nanoTime()));
        assertEquals(1, admin(env, "users", "create", "erin"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("imgstream admin db migrate"), err::toString);
        assertEquals(0, count(env, "select count(*) from pg_tables where schemaname = 'public'"));
        assertEquals(0, admin(env, "db", "migrate"));
        assertTrue(output().startsWith(CheckHealth.REQUIRED_SCHEMA_VERSION + " migration"), output());
        assertEquals(0, admin(env, "users", "create", "erin"));
        assertEquals(1, count(env, "select count(*) from users"));
    }

    @Test
    void printsOnlyItsAnswerOnStdoutAndItsLogsOnStderr() throws Exception {
        // What a script relies on: KEY=$(imgstream admin keys create …) captures the key and nothing else.
        String url = TestDatabase.emptyDatabase("script_" + System.nanoTime());
        Cli migrate = cli(url, "db", "migrate");
        assertEquals(0, migrate.exit(), migrate.stderr());
        assertEquals(CheckHealth.REQUIRED_SCHEMA_VERSION + " migration(s) applied\n", migrate.stdout());
        // Flyway's lines on stderr, as the emulator's readable text (LOG_FORMAT unset)
        assertTrue(migrate.stderr().contains(" INFO    DbMigrate: "), migrate.stderr());
        Cli create = cli(url, "users", "create", "frank");
        assertEquals(0, create.exit(), create.stderr());
        assertTrue(create.stdout().matches("isk_[0-9A-Za-z]+\n"), "KEY=$(… users create frank) is the key alone: " + create.stdout());
        assertTrue(create.stderr().contains("user frank created"), create.stderr());
        Cli revoke = cli(url, "keys", "revoke", "frank", "not-a-uuid");
        assertEquals(1, revoke.exit());
        assertTrue(revoke.stderr().contains("imgstream admin: 'not-a-uuid' is not a key id; `keys list <user>` shows them\n"),
                revoke.stderr());
    }

    private record Cli(int exit, String stdout, String stderr) {
    }

    /** The CLI as a user runs it: its own JVM, through {@link Main}, so logging is configured as for real. */
    private static Cli cli(String databaseUrl, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "admin"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("DATABASE_URL", databaseUrl);
        pb.environment().remove("LOG_FORMAT");
        Path stdout = Files.createTempFile("admin-out", ".txt");
        Path stderr = Files.createTempFile("admin-err", ".txt");
        Process process = pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        try {
            assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the CLI did not finish");
            return new Cli(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    private static long count(Map<String, String> env, String sql) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(env.get("DATABASE_URL"));
        try (var c = ds.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void refusesAMalformedSettingByNameBeforeTouchingTheDatabase() {
        // Micronaut alone would read MONITORING_ENABLED=1 as false without a word.
        assertEquals(1, admin(Map.of("DATABASE_URL", TestDatabase.jdbcUrl(), "MONITORING_ENABLED", "1"), "users", "create", "gina"));
        assertEquals("imgstream admin: Invalid configuration: MONITORING_ENABLED must be true or false (or yes/no, on/off); it is '1'\n",
                err.toString(StandardCharsets.UTF_8));
        assertEquals(0, TestDatabase.count("select count(*) from users"));
    }

    @Test
    void migrateIsIdempotent() {
        assertEquals(0, admin("db", "migrate"));
        assertTrue(output().startsWith("0 migration"));
    }
}
