package io.imgstream.application.port;

import io.imgstream.domain.Image;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The read side of collision checks, answered in one statement per batch, and their monitoring. */
public interface CollisionLookup {

    /** The most taken copies {@link #find} returns for one copy prefix; a prefix with this many may hold more. */
    int MAX_COPIES_PER_NAME = 10_000;

    /**
     * In one round trip: this user's live images whose collision key is one of {@code keys}, or whose
     * content is one of {@code sha256s}, or whose content is that of an image of {@code keys} (the oldest
     * {@code ImageDetails.MAX_SAME_CONTENT} copies of each image found by key), and the collision keys
     * of live images in each of the {@code copyPrefixes} ranges (the taken {@code name (n)} copies; at most
     * {@link #MAX_COPIES_PER_NAME} per prefix, the first in byte order).
     */
    Matches find(UUID userId, Collection<String> keys, Collection<byte[]> sha256s, Collection<String> copyPrefixes);

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
