package io.imgstream.local;

import io.imgstream.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

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
    void migrateIsIdempotent() {
        assertEquals(0, admin("db", "migrate"));
        assertTrue(output().startsWith("0 migration"));
    }
}
