package io.imgstream.adapter.jdbc;

import io.imgstream.application.NameSuggestions;
import io.imgstream.application.collisioncheck.CheckCollisions;
import io.imgstream.application.port.CollisionLookup;
import io.imgstream.config.ImgStreamConfiguration;
import io.imgstream.domain.Caller;
import io.imgstream.domain.Image;
import io.imgstream.support.CountingDataSource;
import io.imgstream.dev.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A whole batch is answered by one SQL statement, counted where statements are made: at the JDBC layer. */
class CheckCollisionsStatementTest {

    private static final UUID USER = UUID.fromString("00000000-0000-0000-0000-00000000c0c0");
    @BeforeEach
    void seed() {
        TestDatabase.truncateAll();
        TestDatabase.execute("insert into users (id, name) values ('" + USER + "', 'batch')");
        TestDatabase.execute("""
                insert into images (id, user_id, filename, collision_key, status, size_bytes, sha256, content_type, object_name)
                select gen_random_uuid(), '%s', 'f' || g || '.png', 'f' || g || '.png', 'LIVE', 1,
                       sha256(g::text::bytea), 'image/png', 'o/' || g
                from generate_series(0, 299) g""".formatted(USER));
        TestDatabase.execute("""
                insert into images (id, user_id, filename, collision_key, status, size_bytes, sha256, content_type, object_name)
                select gen_random_uuid(), '%s', 'f0 (' || g || ').png', 'f0 (' || g || ').png', 'LIVE', 1,
                       sha256(('c' || g)::bytea), 'image/png', 'o/c' || g
                from generate_series(1, 3) g""".formatted(USER));
    }

    @Test
    void answersFiveHundredNamesWithOneStatement() {
        CountingDataSource counting = new CountingDataSource(TestDatabase.dataSource());
        DataSource ds = counting.dataSource();
        ImgStreamConfiguration config = new ImgStreamConfiguration("test", 500, false, null, "t", null);
        JdbcAdapters adapters = new JdbcAdapters(ds);
        CheckCollisions check = new CheckCollisions(adapters.collisionLookup(),
                new NameSuggestions(adapters.catalog()), config, Clock.systemUTC());
        List<CheckCollisions.Item> items = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            items.add(new CheckCollisions.Item("F" + i + ".PNG", i % 3 == 0 ? "ab".repeat(32) : null));
        }
        counting.reset();
        List<CheckCollisions.Result> results = check.check(new Caller(USER, UUID.randomUUID()), items);
        assertEquals(1, counting.statements(), "statements for one batch");
        assertEquals(300, results.stream().filter(r -> r.status() == CheckCollisions.Status.EXISTS).count());
        assertEquals("F0 (4).PNG", results.get(0).suggestedName());
        assertEquals("F1 (1).PNG", results.get(1).suggestedName());
        assertEquals("F499.PNG", results.get(499).suggestedName());
    }

    /**
     * An image the statement finds twice — by its name and by the sha256 given with it, or as a given sha256 and as a copy
     * of an existing image — is listed once wherever it appears.
     */
    @Test
    void anImageFoundByTwoPartsOfTheStatementIsListedOnce() throws Exception {
        UUID copy = UUID.randomUUID();
        TestDatabase.execute("""
                insert into images (id, user_id, filename, collision_key, status, size_bytes, sha256, content_type, object_name)
                values ('%s', '%s', 'copy of f5.png', 'copy of f5.png', 'LIVE', 1, sha256('5'::bytea), 'image/png', 'o/copy')"""
                .formatted(copy, USER));
        ImgStreamConfiguration config = new ImgStreamConfiguration("test", 500, false, null, "t", null);
        CheckCollisions check = new CheckCollisions(JdbcAdapters.testDatabase().collisionLookup(),
                new NameSuggestions(JdbcAdapters.testDatabase().catalog()), config, Clock.systemUTC());
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest("5".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        CheckCollisions.Result r = check.check(new Caller(USER, UUID.randomUUID()),
                List.of(new CheckCollisions.Item("f5.png", sha))).get(0);
        assertEquals(CheckCollisions.Status.IDENTICAL, r.status());
        assertEquals(List.of(copy), r.sameContentAs());
        assertEquals(List.of(copy), r.existing().sameContentAs());
    }

    /**
     * The statement finds this user's live images by name, by a given content and as copies of what it found, and every
     * taken {@code name (n)} copy — also one whose extension holds {@code " ("} — and nothing deleted or another user's.
     */
    @Test
    void findsNamesContentsAndCopiesOfThisUserOnly() throws Exception {
        UUID other = UUID.randomUUID();
        TestDatabase.execute("insert into users (id, name) values ('" + other + "', 'other')");
        String insert = """
                insert into images (id, user_id, filename, collision_key, status, size_bytes, sha256, content_type, object_name,
                    deleted_at) values (gen_random_uuid(), '%s', '%s', lower('%s'), '%s', 1, sha256('%s'::bytea), 'image/png',
                    'o/' || gen_random_uuid(), %s)""";
        for (UUID user : List.of(USER, other)) {
            for (String[] row : new String[][]{{"a.png", "A"}, {"a (1).png", "B"}, {"a (3).png", "C"}, {"b.x (1)", "D"},
                    {"b (1).x (1)", "E"}, {"twin.png", "A"}, {"c (2) (1).png", "F"}}) {
                TestDatabase.execute(insert.formatted(user, row[0], row[0], "LIVE", row[1], "null"));
            }
        }
        TestDatabase.execute(insert.formatted(USER, "gone.png", "gone.png", "DELETED", "A", "now()"));
        TestDatabase.execute(insert.formatted(USER, "a (2).png", "a (2).png", "DELETED", "G", "now()"));
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        List<String> keys = List.of("a.png", "b.x (1)", "c (2).png", "gone.png", "f7.png", "new.png");
        List<byte[]> given = List.of(sha.digest("D".getBytes(StandardCharsets.US_ASCII)),
                sha.digest("F".getBytes(StandardCharsets.US_ASCII)), sha.digest("G".getBytes(StandardCharsets.US_ASCII)));
        List<String> prefixes = List.of("a (", "b (", "c (2) (", "gone (", "f7 (", "new (");

        CollisionLookup.Matches m = JdbcAdapters.testDatabase().collisionLookup().find(USER, keys, given, prefixes);

        assertEquals(new TreeSet<>(List.of("a.png", "b.x (1)", "c (2) (1).png", "f7.png", "twin.png")),
                m.images().stream().map(Image::filename).collect(Collectors.toCollection(TreeSet::new)),
                "a.png and its twin by content, b.x (1) by name and content, c (2) (1).png by content, f7.png seeded");
        assertTrue(m.images().stream().allMatch(i -> i.userId().equals(USER)), "another user's images");
        assertEquals(new TreeSet<>(List.of("a (1).png", "a (3).png", "b (1).x (1)", "c (2) (1).png")),
                m.takenKeysByCopyPrefix().values().stream().flatMap(List::stream).collect(Collectors.toCollection(TreeSet::new)));
    }

    private static CheckCollisions useCase() {
        ImgStreamConfiguration config = new ImgStreamConfiguration("test", 500, false, null, "t", null);
        return new CheckCollisions(JdbcAdapters.testDatabase().collisionLookup(), new NameSuggestions(JdbcAdapters.testDatabase().catalog()), config,
                Clock.systemUTC());
    }

    /**
     * A name with more copies than one range scan reads: the scan returns the first copies in byte order
     * ({@code a (1)}, {@code a (10)}, {@code a (100)} … but {@code a (9999)} last), so the suggestion must not trust it
     * and probes as a rename upload does.
     */
    @Test
    void aNameWithMoreCopiesThanOneScanReadsGetsTheSuggestionARenameWouldPick() {
        TestDatabase.execute("""
                insert into images (id, user_id, filename, collision_key, status, size_bytes, sha256, content_type, object_name)
                select gen_random_uuid(), '%1$s', n, n, 'LIVE', 1, sha256(n::bytea), 'image/png', 'o/' || n
                from (select 'a.png' as n union all
                      select 'a (' || g || ').png' from generate_series(1, %2$d) g) names""".formatted(USER,
                CollisionLookup.MAX_COPIES_PER_NAME + 1));
        String rename = new NameSuggestions(JdbcAdapters.testDatabase().catalog()).firstFreeCopy(USER, io.imgstream.domain.Filename.parse("a.png"))
                .display();
        assertEquals("a (" + (CollisionLookup.MAX_COPIES_PER_NAME + 2) + ").png", rename);
        CheckCollisions.Result r = useCase().check(new Caller(USER, UUID.randomUUID()),
                List.of(new CheckCollisions.Item("a.png", null))).get(0);
        assertEquals(rename, r.suggestedName());
    }

    /**
     * A name so long that its copies shorten the stem has no copy range; its suggestion is probed in the database, and
     * must still skip what earlier items of the same request would take.
     */
    @Test
    void aLongNameRepeatedInTheRequestGetsTheNextCopyEachTime() {
        io.imgstream.domain.Filename name = io.imgstream.domain.Filename.parse("x".repeat(246) + ".png");
        TestDatabase.execute("""
                insert into images (id, user_id, filename, collision_key, status, size_bytes, sha256, content_type, object_name)
                values (gen_random_uuid(), '%s', '%s', '%s', 'LIVE', 1, sha256('x'::bytea), 'image/png', 'o/x')"""
                .formatted(USER, name.display(), name.collisionKey()));
        List<CheckCollisions.Result> results = useCase().check(new Caller(USER, UUID.randomUUID()),
                List.of(new CheckCollisions.Item(name.display(), null), new CheckCollisions.Item(name.display(), null),
                        new CheckCollisions.Item(name.display(), null)));
        assertEquals(List.of(name.withCopyNumber(1).display(), name.withCopyNumber(2).display(), name.withCopyNumber(3).display()),
                results.stream().map(CheckCollisions.Result::suggestedName).toList());
    }
}
