package io.imgstream.application.cleanup;

import java.util.Arrays;
import java.util.Optional;

/** The reconciliations cleanup can run; the wire names appear in the Pub/Sub message's {@code tasks}. */
public enum CleanupTask {
    STALE_PENDING_UPLOADS("stale_pending_uploads"),
    PURGE_DELETED_IMAGES("purge_deleted_images"),
    RETIRED_OBJECTS("retired_objects"),
    ORPHAN_OBJECTS("orphan_objects"),
    MONITORING_EVENTS("monitoring_events"),
    OUTBOX_RELAY("outbox_relay"),
    EXPIRED_UPLOADS("expired_uploads");

    private final String wireName;

    CleanupTask(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<CleanupTask> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }
}
