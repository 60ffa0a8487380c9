package io.imgstream.application.cleanup;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The reconciliations cleanup can run; the wire names appear in the Pub/Sub message's {@code tasks}. */
public enum CleanupTask {
    STALE_PENDING_UPLOADS,
    PURGE_DELETED_IMAGES,
    RETIRED_OBJECTS,
    ORPHAN_OBJECTS,
    MONITORING_EVENTS,
    OUTBOX_RELAY,
    EXPIRED_UPLOADS;

    /** The constant's name in lower case ({@code stale_pending_uploads}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<CleanupTask> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName().equals(name)).findFirst();
    }
}
