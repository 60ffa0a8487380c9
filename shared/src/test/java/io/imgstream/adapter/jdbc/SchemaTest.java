package io.imgstream.adapter.jdbc;

import io.imgstream.application.CheckHealth;
import io.imgstream.dev.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The constraints of the schema hold in PostgreSQL itself, whatever the Java code does. */
class SchemaTest {

    private static final String USER = "00000000-0000-0000-0000-000000000001";

    @BeforeEach
    void setUp() {
        TestDatabase.truncateAll();
        TestDatabase.execute("insert into users (id, name) values ('" + USER + "', 'schema')");
    }

    private static String image(String id, String key, String status) {
        return "insert into images (id, user_id, filename, collision_key, status, size_bytes, sha256, content_type,"
                + " object_name, deleted_at) values ('" + id + "', '" + USER + "', '" + key + "', '" + key + "', '"
                + status + "', 1, decode(repeat('ab', 32), 'hex'), 'image/png', 'o/" + id + "', "
                + ("DELETED".equals(status) ? "now()" : "null") + ")";
    }

    @Test
    void oneLiveImagePerUserAndCollisionKey() {
        TestDatabase.execute(image("10000000-0000-0000-0000-000000000001", "a.png", "LIVE"));
        assertThrows(IllegalStateException.class,
                () -> TestDatabase.execute(image("10000000-0000-0000-0000-000000000002", "a.png", "LIVE")));
    }

    @Test
    void deletedImagesFreeTheirName() {
        TestDatabase.execute(image("10000000-0000-0000-0000-000000000001", "a.png", "DELETED"));
        TestDatabase.execute(image("10000000-0000-0000-0000-000000000002", "a.png", "DELETED"));
        TestDatabase.execute(image("10000000-0000-0000-0000-000000000003", "a.png", "LIVE"));
        assertEquals(3, TestDatabase.count("select count(*) from images"));
    }

    @Test
    void checksRefuseImpossibleRows() {
        assertThrows(IllegalStateException.class, () -> TestDatabase.execute(
                image("10000000-0000-0000-0000-000000000001", "a.png", "PENDING")));
        assertThrows(IllegalStateException.class, () -> TestDatabase.execute(
                "insert into users (id, name) values (gen_random_uuid(), '../bad')"));
        assertThrows(IllegalStateException.class, () -> TestDatabase.execute(
                "insert into images (id, user_id, filename, collision_key, status, size_bytes, sha256, content_type, object_name)"
                        + " values (gen_random_uuid(), '" + USER + "', 'x', 'x', 'LIVE', 1, '\\x00', 'image/png', 'o')"));
    }

    @Test
    void imagesNeedAnExistingUser() {
        assertThrows(IllegalStateException.class, () -> TestDatabase.execute(image(
                "10000000-0000-0000-0000-000000000001", "a.png", "LIVE").replace(USER, "00000000-0000-0000-0000-00000000dead")));
    }

    /** Byte order whatever the database's default collation, so glibc's sort order can never corrupt the arbiter. */
    @Test
    void collisionKeysAndTheirIndexesCompareBytewise() {
        assertEquals(1, TestDatabase.count("""
                select count(*) from pg_attribute a join pg_collation c on c.oid = a.attcollation
                where a.attrelid = 'images'::regclass and a.attname = 'collision_key' and c.collname = 'C'"""));
        for (String index : new String[] {"images_live_name_key", "images_listing_idx"}) {
            assertEquals(1, TestDatabase.count("""
                    select count(*) from pg_index i join pg_collation c on c.oid = i.indcollation[1]
                    where i.indexrelid = '%s'::regclass and c.collname = 'C'""".formatted(index)), index);
        }
    }

    @Test
    void requiredSchemaVersionIsTheHighestMigration() throws IOException, URISyntaxException {
        Path dir = Path.of(CheckHealth.class.getResource("/db/migration").toURI());
        int highest;
        try (Stream<Path> files = Files.list(dir)) {
            highest = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("V\\d+__.+\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))
                    .max().orElseThrow();
        }
        assertEquals(highest, CheckHealth.REQUIRED_SCHEMA_VERSION);
        assertEquals(highest, TestDatabase.count("select max(version::int) from flyway_schema_history"));
    }
}
