package io.imgstream.adapter.jdbc;

import io.imgstream.application.PublishEvents;
import io.imgstream.application.cleanup.CleanupReport;
import io.imgstream.application.cleanup.CleanupRequest;
import io.imgstream.application.cleanup.CleanupSettings;
import io.imgstream.application.cleanup.CleanupTask;
import io.imgstream.application.cleanup.RunCleanup;
import io.imgstream.application.port.ObjectStorage;
import io.imgstream.support.CountingDataSource;
import io.imgstream.dev.TestDatabase;
import io.micronaut.serde.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cleanup against real PostgreSQL and a storage adapter, on crash-shaped fixtures. Each storage adapter's
 * test extends it. Grace period 1 h, deleted retention 72 h, monitoring retention 30 days.
 */
abstract class RunCleanupContract {

    static final UUID USER = UUID.fromString("00000000-0000-0000-0000-0000000c1ea0");
    protected abstract ObjectStorage storage();

    DataSource ds;
    RunCleanup cleanup;

    /** Objects older than the grace period; adapters that cannot backdate use a zero grace period. */
    protected Duration grace() {
        return Duration.ofHours(1);
    }

    protected abstract void age(String objectName, Duration by);

    @BeforeEach
    void setUp() {
        TestDatabase.truncateAll();
        TestDatabase.execute("insert into users (id, name) values ('" + USER + "', 'cleanup')");
        ds = TestDatabase.dataSource();
        cleanup = runner(1000);
    }

    RunCleanup runner(int batch) {
        return new RunCleanup(JdbcAdapters.testDatabase().cleanupStore(), storage(), JdbcAdapters.testDatabase().outbox(),
                new PublishEvents(JdbcAdapters.testDatabase().outbox(), null), settings(batch), Clock.systemUTC(),
                ObjectMapper.getDefault());
    }

    /** Five minutes per run, this contract's grace, 72 h before deleted bytes are purged, 30 days of monitoring. */
    private CleanupSettings settings(int batch) {
        return new CleanupSettings(Duration.ofMinutes(5), grace(), batch, Duration.ofHours(72), Duration.ofDays(30));
    }

    String object(String name) {
        String objectName = "users/" + USER + "/images/" + name;
        storage().write(objectName, new ByteArrayInputStream(new byte[]{1, 2, 3}), "image/png");
        age(objectName, Duration.ofHours(3));
        return objectName;
    }

    boolean exists(String objectName) {
        return storage().stat(objectName).isPresent();
    }

    void image(String objectName, String status, String age) {
        TestDatabase.execute("insert into images (id, user_id, filename, collision_key, status, size_bytes, sha256,"
                + " content_type, object_name, deleted_at) values (gen_random_uuid(), '" + USER + "', '" + UUID.randomUUID()
                + "', '" + UUID.randomUUID() + "', '" + status + "', 3, sha256('x'), 'image/png', '" + objectName + "', "
                + ("DELETED".equals(status) ? "now() - interval '" + age + "'" : "null") + ")");
    }

    void pending(String objectName, String age) {
        TestDatabase.execute("insert into pending_uploads (object_name, user_id, image_id, created_at) values ('"
                + objectName + "', '" + USER + "', gen_random_uuid(), now() - interval '" + age + "')");
    }

    void retired(String objectName, String age) {
        TestDatabase.execute("insert into retired_objects (object_name, image_id, retired_at) values ('" + objectName
                + "', gen_random_uuid(), now() - interval '" + age + "')");
    }

    static CleanupRequest only(CleanupTask task) {
        return new CleanupRequest(Set.of(task), false, 10_000);
    }

    @Test
    void removesStalePendingUploadsButNotFreshOnes() {
        String stale = object("a/v1-stale");
        String fresh = object("b/v1-fresh");
        pending(stale, "2 hours");
        pending(fresh, "1 minute");
        CleanupReport report = cleanup.run(only(CleanupTask.STALE_PENDING_UPLOADS));
        assertFalse(exists(stale));
        if (!grace().isZero()) {
            assertEquals(1L, report.counts().get("stale_pending_uploads"));
            assertTrue(exists(fresh), "an upload in flight keeps its object");
            assertEquals(1, TestDatabase.count("select count(*) from pending_uploads"));
        }
    }

    @Test
    void aPendingUploadWhoseRowCommittedKeepsItsObject() {
        String committed = object("c/v1-committed");
        pending(committed, "2 hours");
        image(committed, "LIVE", null);
        cleanup.run(only(CleanupTask.STALE_PENDING_UPLOADS));
        assertTrue(exists(committed), "never delete an object a live row points to");
        assertEquals(0, TestDatabase.count("select count(*) from pending_uploads"));
    }

    @Test
    void purgesSoftDeletedImagesPastRetention() {
        String old = object("d/v1-old");
        String recent = object("e/v1-recent");
        image(old, "DELETED", "100 hours");
        image(recent, "DELETED", "1 hour");
        CleanupReport report = cleanup.run(only(CleanupTask.PURGE_DELETED_IMAGES));
        assertEquals(1L, report.counts().get("purge_deleted_images"));
        assertFalse(exists(old));
        assertTrue(exists(recent));
        assertEquals(1, TestDatabase.count("select count(*) from images"));
    }

    /**
     * Stale pending uploads and retired versions are handled a batch at a time — the rows read, the live ones among them
     * found, the rows forgotten, one statement each per batch — not two statements per object: 50 objects, batches of 10.
     */
    @Test
    void pendingUploadsAndRetiredVersionsAreHandledInBatchesNeverDeletingALiveObject() {
        List<String> pendingObjects = new java.util.ArrayList<>();
        List<String> retiredObjects = new java.util.ArrayList<>();
        for (int i = 0; i < 25; i++) {
            pendingObjects.add(object("p" + i + "/v1"));
            pending(pendingObjects.get(i), "2 hours");
            retiredObjects.add(object("r" + i + "/v1"));
            retired(retiredObjects.get(i), "2 hours");
        }
        image(pendingObjects.get(3), "LIVE", null);
        image(retiredObjects.get(17), "LIVE", null);
        CountingDataSource counting = new CountingDataSource(ds);
        RunCleanup batched = new RunCleanup(new JdbcAdapters(counting.dataSource()).cleanupStore(), storage(), JdbcAdapters.testDatabase().outbox(),
                new PublishEvents(JdbcAdapters.testDatabase().outbox(), null), settings(10), Clock.systemUTC(),
                ObjectMapper.getDefault());

        CleanupReport report = batched.run(new CleanupRequest(Set.of(CleanupTask.STALE_PENDING_UPLOADS,
                CleanupTask.RETIRED_OBJECTS), false, 10_000));

        assertEquals(25L, report.counts().get("stale_pending_uploads"));
        assertEquals(25L, report.counts().get("retired_objects"));
        for (int i = 0; i < 25; i++) {
            assertEquals(i == 3, exists(pendingObjects.get(i)), pendingObjects.get(i));
            assertEquals(i == 17, exists(retiredObjects.get(i)), retiredObjects.get(i));
        }
        assertEquals(0, TestDatabase.count("select count(*) from pending_uploads"));
        assertEquals(0, TestDatabase.count("select count(*) from retired_objects"));
        // per task: 3 batches × (read, live among, forget) + the read that finds the end; plus the run's lock
        assertTrue(counting.statements() <= 2 * (3 * 3 + 1) + 4, counting.statements() + " statements for 50 objects");
    }

    @Test
    void deletesRetiredVersionsAfterTheGracePeriod() {
        String oldVersion = object("f/v1-old");
        String stillLive = object("g/v1-live");
        retired(oldVersion, "2 hours");
        retired(stillLive, "2 hours");
        image(stillLive, "LIVE", null);
        cleanup.run(only(CleanupTask.RETIRED_OBJECTS));
        assertFalse(exists(oldVersion));
        assertTrue(exists(stillLive), "never delete an object a live row points to");
        assertEquals(0, TestDatabase.count("select count(*) from retired_objects"));
    }

    @Test
    void deletesOrphanObjectsNoRowKnows() {
        String orphan = object("h/v1-orphan");
        String live = object("i/v1-live");
        String deleted = object("j/v1-deleted");
        String inFlight = object("k/v1-inflight");
        image(live, "LIVE", null);
        image(deleted, "DELETED", "1 hour");
        pending(inFlight, "1 minute");
        storage().write("elsewhere/not-ours", new ByteArrayInputStream(new byte[]{1}), "text/plain");
        age("elsewhere/not-ours", Duration.ofHours(3));
        CleanupReport report = cleanup.run(only(CleanupTask.ORPHAN_OBJECTS));
        assertEquals(1L, report.counts().get("orphan_objects"));
        assertFalse(exists(orphan));
        assertTrue(exists(live) && exists(deleted) && exists(inFlight));
        assertTrue(exists("elsewhere/not-ours"), "nothing outside the image prefix is touched");
    }

    /** A live image at {@code version} and one thumbnail object per version in {@code versions}, each with its row. */
    UUID imageWithThumbnails(String status, int version, int... versions) {
        UUID id = UUID.randomUUID();
        String objectName = object(id + "/v" + version + "-x");
        TestDatabase.execute("insert into images (id, user_id, filename, collision_key, status, size_bytes, sha256,"
                + " content_type, object_name, version, deleted_at) values ('" + id + "', '" + USER + "', '" + id
                + "', '" + id + "', '" + status + "', 3, sha256('x'), 'image/png', '" + objectName + "', " + version + ", "
                + ("DELETED".equals(status) ? "now()" : "null") + ")");
        for (int v : versions) {
            TestDatabase.execute("insert into thumbnails (object_name, image_id, version) values ('" + thumbnail(id, v)
                    + "', '" + id + "', " + v + ")");
            storage().write(thumbnail(id, v), new ByteArrayInputStream(new byte[]{1}), "image/jpeg");
            age(thumbnail(id, v), Duration.ofHours(3));
        }
        return id;
    }

    static String thumbnail(UUID imageId, int version) {
        return "users/" + USER + "/thumbnails/" + imageId + "/v" + version + "/320-inside-r1";
    }

    @Test
    void deletesTheThumbnailsOfVersionsNoLongerLiveWithoutWaitingForTheGrace() {
        UUID replaced = imageWithThumbnails("LIVE", 3, 1, 2, 3);
        UUID deleted = imageWithThumbnails("DELETED", 1, 1);
        UUID purged = UUID.randomUUID();
        TestDatabase.execute("insert into thumbnails (object_name, image_id, version) values ('" + thumbnail(purged, 1)
                + "', '" + purged + "', 1)");
        storage().write(thumbnail(purged, 1), new ByteArrayInputStream(new byte[]{1}), "image/jpeg");
        CleanupReport report = cleanup.run(only(CleanupTask.RETIRED_OBJECTS));
        assertEquals(4L, report.counts().get("retired_objects"));
        assertFalse(exists(thumbnail(replaced, 1)) || exists(thumbnail(replaced, 2)), "a replaced version's thumbnails go");
        assertTrue(exists(thumbnail(replaced, 3)), "the live version's thumbnail stays");
        assertFalse(exists(thumbnail(deleted, 1)), "a deleted image's thumbnails go");
        assertFalse(exists(thumbnail(purged, 1)), "a purged image's thumbnails go");
        assertEquals(1, TestDatabase.count("select count(*) from thumbnails"));
        assertEquals(0L, cleanup.run(only(CleanupTask.RETIRED_OBJECTS)).counts().get("retired_objects"), "idempotent");
    }

    @Test
    void theOrphanTaskDeletesThumbnailsNoLiveVersionClaims() {
        UUID live = imageWithThumbnails("LIVE", 2, 1, 2);
        String rowless = "users/" + USER + "/thumbnails/" + live + "/v2/640-cover-r1";
        storage().write(rowless, new ByteArrayInputStream(new byte[]{1}), "image/jpeg");
        age(rowless, Duration.ofHours(3));
        cleanup.run(only(CleanupTask.ORPHAN_OBJECTS));
        assertTrue(exists(thumbnail(live, 2)), "a recorded thumbnail of the live version is known");
        assertFalse(exists(thumbnail(live, 1)), "a thumbnail of a replaced version is an orphan");
        assertFalse(exists(rowless), "a thumbnail whose row was never written is an orphan");
    }

    @Test
    void prunesMonitoringEventsPastRetention() {
        TestDatabase.execute("insert into collision_events (user_id, checked_at, items, detection_micros) values ('"
                + USER + "', now() - interval '40 days', 1, 5), ('" + USER + "', now() - interval '1 day', 1, 5)");
        cleanup.run(only(CleanupTask.MONITORING_EVENTS));
        assertEquals(1, TestDatabase.count("select count(*) from collision_events"));
    }

    @Test
    void aDryRunCountsAndChangesNothing() {
        String stale = object("l/v1-stale");
        pending(stale, "2 hours");
        String orphan = object("m/v1-orphan");
        CleanupReport report = cleanup.run(new CleanupRequest(Set.of(), true, 10_000));
        assertTrue(report.dryRun());
        assertEquals(1L, report.counts().get("stale_pending_uploads"));
        assertEquals(1L, report.counts().get("orphan_objects"));
        assertTrue(exists(stale) && exists(orphan));
        assertEquals(1, TestDatabase.count("select count(*) from pending_uploads"));
    }

    @Test
    void aRunCutByItsItemBudgetFinishesInTheNext() {
        for (int i = 0; i < 5; i++) {
            pending(object("n" + i + "/v1"), "2 hours");
        }
        RunCleanup small = runner(2);
        CleanupReport first = small.run(new CleanupRequest(Set.of(CleanupTask.STALE_PENDING_UPLOADS), false, 3));
        assertFalse(first.completed());
        assertEquals(3L, first.counts().get("stale_pending_uploads"));
        CleanupReport second = small.run(new CleanupRequest(Set.of(CleanupTask.STALE_PENDING_UPLOADS), false, 3));
        assertEquals(2L, second.counts().get("stale_pending_uploads"));
        assertEquals(0, TestDatabase.count("select count(*) from pending_uploads"));
    }

    @Test
    void aSecondRunReturnsAtOnceWhileTheLockIsHeld() throws Exception {
        String stale = object("o/v1-stale");
        pending(stale, "2 hours");
        try (Connection holder = ds.getConnection(); PreparedStatement ps = holder.prepareStatement("select pg_advisory_lock(?)")) {
            ps.setLong(1, JdbcCleanupStore.LOCK_KEY);
            ps.execute();
            CleanupReport blocked = cleanup.run(CleanupRequest.everything());
            assertFalse(blocked.ran());
            assertTrue(exists(stale));
        }
        assertTrue(cleanup.run(CleanupRequest.everything()).ran());
        assertFalse(exists(stale));
    }

    @Test
    void overlappingRunsConvergeToTheStateOfOne() throws Exception {
        for (int i = 0; i < 20; i++) {
            pending(object("p" + i + "/v1"), "2 hours");
            image(object("q" + i + "/v1"), "DELETED", "100 hours");
            object("r" + i + "/v1-orphan");
        }
        String live = object("s/v1-live");
        image(live, "LIVE", null);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Callable<CleanupReport> run = () -> runner(3).run(CleanupRequest.everything());
            List<Future<CleanupReport>> runs = List.of(pool.submit(run), pool.submit(run), pool.submit(run), pool.submit(run));
            for (Future<CleanupReport> f : runs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        cleanup.run(CleanupRequest.everything());
        assertEquals(0, TestDatabase.count("select count(*) from pending_uploads"));
        assertEquals(1, TestDatabase.count("select count(*) from images"));
        assertTrue(exists(live));
        try (var objects = storage().list("users/")) {
            assertEquals(List.of(live), objects.map(ObjectStorage.StoredObject::name).toList());
        }
    }
}
