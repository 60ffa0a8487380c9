package io.imgstream.application.port;

import io.imgstream.domain.Image;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The read side of collision checks, answered in one statement per batch, and their monitoring. */
public interface CollisionLookup {

    /**
     * In one round trip: this user's live images whose collision key is one of {@code keys}, or whose
     * content is one of {@code sha256s}, and the collision keys of live images in the range of each copy scan
     * (the taken {@code name (n)} copies) that is needed: always, or when its base name is live.
     */
    Matches find(UUID userId, Collection<String> keys, Collection<byte[]> sha256s, Collection<CopyScan> copyScans);

    /**
     * The copies {@code name (n)} of one name: {@code prefix} starts every copy's collision key; the scan runs
     * only when {@code always} or when {@code baseKey} (the name itself) belongs to a live image — a free name
     * needs no copy, and most names of a folder are free.
     */
    record CopyScan(String prefix, String baseKey, boolean always) {
    }

    /** Records one check when monitoring is on. */
    void record(UUID userId, Map<String, Integer> countsByStatus, List<String> detectedNames, long detectionMicros);

    /** This user's checks since {@code since}: per status counts, number of checks, average detection time. */
    Stats stats(UUID userId, Instant since);

    /** What {@link #find} returns. */
    record Matches(List<Image> images, Map<String, List<String>> takenKeysByCopyPrefix) {
    }

    /** Monitoring figures over a window. */
    record Stats(long checks, long items, Map<String, Long> countsByStatus, double averageDetectionMicros) {
    }
}
