package io.imgstream.application.cleanup;

import io.imgstream.application.ImageEvents;
import io.imgstream.application.inmemory.InMemoryPorts;
import io.imgstream.application.port.Outbox;
import io.imgstream.application.upload.UploadCommand;
import io.imgstream.application.upload.UploadImage;
import io.imgstream.dev.TestImages;
import io.imgstream.domain.Caller;
import io.imgstream.domain.ConflictPolicy;
import io.imgstream.domain.Image;
import io.imgstream.domain.Precondition;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules of {@link RunCleanup} on in-memory ports and real files: each task removes what it is for and nothing a
 * live row needs, only after its grace or retention, idempotently; a dry run and a held lock change nothing; the
 * outbox relay publishes, marks and records failures through the one publish path.
 */
class RunCleanupRulesTest {

    private final InMemoryPorts ports = new InMemoryPorts("cleanup-rules");
    private final RunCleanup cleanup = ports.runCleanup(2);
    private final UploadImage upload = ports.uploadImage(InMemoryPorts.limits());
    private final Caller caller = new Caller(UUID.randomUUID(), UUID.randomUUID());

    private Image put(String name, int seed, ConflictPolicy policy) {
        byte[] png = TestImages.png(seed);
        return upload.upload(new UploadCommand(caller, name, new ByteArrayInputStream(png), png.length, policy)).image();
    }

    /** What a crashed upload leaves: its intent and its object, no row. */
    private String crashedUpload() {
        String object = "users/" + caller.userId() + "/images/" + UUID.randomUUID() + "/v1-crash";
        ports.catalog.recordPending(object, caller.userId(), UUID.randomUUID());
        ports.storage.write(object, new ByteArrayInputStream(TestImages.png(9)), "image/png");
        return object;
    }

    private boolean exists(String object) {
        return ports.storage.stat(object).isPresent();
    }

    private CleanupReport run(CleanupTask... tasks) {
        return cleanup.run(new CleanupRequest(EnumSet.of(tasks[0], tasks), false, 10_000));
    }

    private long count(CleanupReport report, CleanupTask task) {
        return report.counts().get(task.wireName());
    }

    @Test
    void aCrashedUploadIsRemovedOnlyAfterItsGraceAndOnlyOnce() {
        String object = crashedUpload();
        assertEquals(0, count(run(CleanupTask.STALE_PENDING_UPLOADS), CleanupTask.STALE_PENDING_UPLOADS));
        assertTrue(exists(object));

        ports.clock.advance(Duration.ofHours(2));
        assertEquals(1, count(run(CleanupTask.STALE_PENDING_UPLOADS), CleanupTask.STALE_PENDING_UPLOADS));
        assertFalse(exists(object));
        assertTrue(ports.catalog.pendingObjects().isEmpty());

        assertEquals(0, count(run(CleanupTask.STALE_PENDING_UPLOADS), CleanupTask.STALE_PENDING_UPLOADS));
    }

    @Test
    void anIntentWhoseObjectALiveRowTookLosesTheIntentNeverTheObject() {
        Image live = put("a.png", 1, ConflictPolicy.REJECT);
        ports.catalog.recordPending(live.objectName(), caller.userId(), live.id()); // the commit's forget was lost
        ports.clock.advance(Duration.ofHours(2));

        run(CleanupTask.STALE_PENDING_UPLOADS);
        assertTrue(exists(live.objectName()));
        assertTrue(ports.catalog.pendingObjects().isEmpty());
    }

    @Test
    void aDeletedImageIsPurgedAfterItsRetention() {
        Image image = put("a.png", 1, ConflictPolicy.REJECT);
        ports.catalog.softDelete(caller.userId(), image.id(), Precondition.NONE, ImageEvents.deleted());
        ports.clock.advance(Duration.ofHours(71));
        assertEquals(0, count(run(CleanupTask.PURGE_DELETED_IMAGES), CleanupTask.PURGE_DELETED_IMAGES));
        assertTrue(exists(image.objectName()));

        ports.clock.advance(Duration.ofHours(2));
        assertEquals(1, count(run(CleanupTask.PURGE_DELETED_IMAGES), CleanupTask.PURGE_DELETED_IMAGES));
        assertFalse(exists(image.objectName()));
        assertTrue(ports.catalog.allImages().isEmpty());
    }

    @Test
    void aReplacedVersionIsDeletedAfterItsGraceAndTheLiveOneStays() {
        Image first = put("a.png", 1, ConflictPolicy.REJECT);
        Image second = put("a.png", 2, ConflictPolicy.OVERWRITE);
        assertEquals(0, count(run(CleanupTask.RETIRED_OBJECTS), CleanupTask.RETIRED_OBJECTS));

        ports.clock.advance(Duration.ofHours(2));
        assertEquals(1, count(run(CleanupTask.RETIRED_OBJECTS), CleanupTask.RETIRED_OBJECTS));
        assertFalse(exists(first.objectName()));
        assertTrue(exists(second.objectName()));
        assertTrue(ports.catalog.retiredObjects().isEmpty());
    }

    @Test
    void anObjectNoRowKnowsIsAnOrphanAfterTheGraceAndKnownOnesStay() {
        Image live = put("a.png", 1, ConflictPolicy.REJECT);
        String orphan = "users/" + caller.userId() + "/images/" + UUID.randomUUID() + "/v1-orphan";
        ports.storage.write(orphan, new ByteArrayInputStream(TestImages.png(3)), "image/png");
        String pending = crashedUpload();

        ports.clock.advance(Duration.ofHours(2));
        assertEquals(1, count(run(CleanupTask.ORPHAN_OBJECTS), CleanupTask.ORPHAN_OBJECTS));
        assertFalse(exists(orphan));
        assertTrue(exists(live.objectName()));
        assertTrue(exists(pending), "an object with an intent is stale_pending_uploads' to remove");
    }

    @Test
    void anExpiredResumableUploadLosesItsPartsAndItsRow() {
        UUID id = UUID.randomUUID();
        String prefix = "uploads/" + id + "/";
        ports.storage.write(prefix + "part-1", new ByteArrayInputStream(new byte[]{1}), "application/octet-stream");
        ports.storage.write(prefix + "part-2", new ByteArrayInputStream(new byte[]{2}), "application/octet-stream");
        ports.cleanupStore.expiredUpload(id, prefix);

        assertEquals(1, count(run(CleanupTask.EXPIRED_UPLOADS), CleanupTask.EXPIRED_UPLOADS));
        assertFalse(exists(prefix + "part-1") || exists(prefix + "part-2"));
        assertTrue(ports.cleanupStore.expiredUploadIds().isEmpty());
    }

    @Test
    void monitoringEventsArePrunedPastTheirRetention() {
        ports.collisions.record(caller.userId(), Map.of("available", 1), List.of(), 5);
        ports.clock.advance(Duration.ofDays(29));
        assertEquals(0, count(run(CleanupTask.MONITORING_EVENTS), CleanupTask.MONITORING_EVENTS));
        ports.clock.advance(Duration.ofDays(2));
        assertEquals(1, count(run(CleanupTask.MONITORING_EVENTS), CleanupTask.MONITORING_EVENTS));
        assertTrue(ports.collisions.checks().isEmpty());
    }

    @Test
    void aDryRunCountsWhatARunWouldDoAndChangesNothing() {
        String object = crashedUpload();
        ports.clock.advance(Duration.ofHours(2));
        CleanupReport report = cleanup.run(new CleanupRequest(Set.of(CleanupTask.STALE_PENDING_UPLOADS), true, 10_000));

        assertTrue(report.dryRun());
        assertEquals(1, count(report, CleanupTask.STALE_PENDING_UPLOADS));
        assertTrue(exists(object));
        assertEquals(Set.of(object), ports.catalog.pendingObjects());
    }

    @Test
    void aRunStopsAtMaxItemsAndTheNextOneContinues() {
        for (int i = 0; i < 5; i++) {
            crashedUpload();
        }
        ports.clock.advance(Duration.ofHours(2));
        CleanupReport first = cleanup.run(new CleanupRequest(Set.of(CleanupTask.STALE_PENDING_UPLOADS), false, 3));

        assertEquals(3, count(first, CleanupTask.STALE_PENDING_UPLOADS));
        assertFalse(first.completed());
        assertEquals(2, ports.catalog.pendingObjects().size());
        CleanupReport second = cleanup.run(new CleanupRequest(Set.of(CleanupTask.STALE_PENDING_UPLOADS), false, 3));
        assertEquals(2, count(second, CleanupTask.STALE_PENDING_UPLOADS));
        assertTrue(second.completed());
        assertEquals(0, ports.storedObjects());
    }

    @Test
    void whileAnotherRunHoldsTheLockARunDoesNothing() {
        String object = crashedUpload();
        ports.clock.advance(Duration.ofHours(2));
        ports.cleanupStore.holdLock(true);
        CleanupReport report = cleanup.run(CleanupRequest.everything());

        assertFalse(report.ran());
        assertTrue(exists(object));
        assertEquals(Set.of(object), ports.catalog.pendingObjects());
    }

    @Test
    void everyTaskTwiceIsHarmless() {
        Image kept = put("a.png", 1, ConflictPolicy.REJECT);
        put("a.png", 2, ConflictPolicy.OVERWRITE);
        Image deleted = put("b.png", 3, ConflictPolicy.REJECT);
        ports.catalog.softDelete(caller.userId(), deleted.id(), Precondition.NONE, ImageEvents.deleted());
        crashedUpload();
        ports.clock.advance(Duration.ofHours(100));

        CleanupReport first = cleanup.run(CleanupRequest.everything());
        CleanupReport second = cleanup.run(CleanupRequest.everything());
        assertTrue(first.counts().values().stream().mapToLong(Long::longValue).sum() > 0, first.counts()::toString);
        assertTrue(second.counts().values().stream().allMatch(n -> n == 0), second.counts()::toString);
        assertEquals(1, ports.storedObjects());
        assertEquals(List.of(kept.id()), ports.catalog.allImages().stream().map(Image::id).toList());
    }

    @Test
    void theRelayPublishesWhatWaitedInOrderAndMarksItSent() {
        ports.topic.down(true);
        put("a.png", 1, ConflictPolicy.REJECT);
        put("a.png", 2, ConflictPolicy.OVERWRITE);
        put("b.png", 3, ConflictPolicy.REJECT);
        assertEquals(3, ports.outbox.unsentCount());
        ports.topic.down(false);

        assertEquals(3, count(run(CleanupTask.OUTBOX_RELAY), CleanupTask.OUTBOX_RELAY));
        assertEquals(List.of(ImageEvents.UPLOADED, ImageEvents.REPLACED, ImageEvents.UPLOADED),
                ports.topic.published().stream().map(Outbox.Event::type).toList());
        assertEquals(0, ports.outbox.unsentCount());
        assertTrue(ports.outbox.rows().stream().allMatch(r -> r.published() && r.lastError() == null));
        assertEquals(0, count(run(CleanupTask.OUTBOX_RELAY), CleanupTask.OUTBOX_RELAY));
        assertEquals(3, ports.topic.published().size());
    }

    @Test
    void withPubSubDownTheRelayRecordsTheFailureAndStopsWithoutFailingTheJob() {
        ports.topic.down(true);
        put("a.png", 1, ConflictPolicy.REJECT);
        put("b.png", 2, ConflictPolicy.REJECT);
        CleanupReport report = run(CleanupTask.OUTBOX_RELAY);

        assertTrue(report.ran());
        assertEquals(0, count(report, CleanupTask.OUTBOX_RELAY));
        assertEquals(2, ports.outbox.unsentCount());
        assertEquals(2, ports.outbox.rows().get(0).attempts(), "the attempt after the commit, then the relay's");
        assertTrue(ports.outbox.rows().get(0).lastError().contains("Pub/Sub is down"));
        assertEquals(1, ports.outbox.rows().get(1).attempts(), "the relay stopped at the first refusal");
    }

    @Test
    void withoutATopicTheRelayLeavesEveryEventInTheOutbox() {
        RunCleanup noTopic = new RunCleanup(ports.cleanupStore, ports.storage, ports.outbox,
                new io.imgstream.application.PublishEvents(ports.outbox, null), InMemoryPorts.settings(2), ports.clock,
                io.micronaut.serde.ObjectMapper.getDefault());
        ports.topic.down(true);
        put("a.png", 1, ConflictPolicy.REJECT);
        ports.topic.down(false);

        CleanupReport report = noTopic.run(new CleanupRequest(Set.of(CleanupTask.OUTBOX_RELAY), false, 100));
        assertEquals(0, count(report, CleanupTask.OUTBOX_RELAY));
        assertEquals(1, ports.outbox.unsentCount());
        assertTrue(ports.topic.published().isEmpty());
    }
}
