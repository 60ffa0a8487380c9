package io.imgstream.application.inmemory;

import io.imgstream.application.port.CollisionLookup;
import io.imgstream.domain.Image;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The read side of collision checks over {@link InMemoryImageCatalog}, answering what the one statement answers. */
public final class InMemoryCollisionLookup implements CollisionLookup {

    /** One recorded check. */
    public record Check(UUID userId, Instant at, Map<String, Integer> countsByStatus, List<String> detectedNames,
                        long detectionMicros) {
    }

    private final InMemoryImageCatalog catalog;
    private final Clock clock;
    private final List<Check> checks = new ArrayList<>();

    public InMemoryCollisionLookup(InMemoryImageCatalog catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    @Override
    public Matches find(UUID userId, Collection<String> keys, Collection<byte[]> sha256s, Collection<String> copyPrefixes) {
        List<Image> live = catalog.liveImages(userId);
        Set<ByteBuffer> shas = new HashSet<>();
        sha256s.forEach(s -> shas.add(ByteBuffer.wrap(s)));
        Set<Image> found = new LinkedHashSet<>();
        for (Image image : live) {
            if (keys.contains(image.collisionKey()) || shas.contains(ByteBuffer.wrap(image.sha256()))) {
                found.add(image);
            }
        }
        for (Image byKey : live.stream().filter(i -> keys.contains(i.collisionKey())).toList()) {
            live.stream().filter(i -> !i.id().equals(byKey.id()) && ByteBuffer.wrap(i.sha256()).equals(ByteBuffer.wrap(byKey.sha256())))
                    .sorted(InMemoryImageCatalog.OLDEST_FIRST).limit(io.imgstream.domain.ImageDetails.MAX_SAME_CONTENT)
                    .forEach(found::add);
        }
        Map<String, List<String>> copies = new HashMap<>();
        for (String prefix : copyPrefixes) {
            copies.put(prefix, live.stream().map(Image::collisionKey).filter(k -> k.startsWith(prefix)).sorted()
                    .limit(MAX_COPIES_PER_NAME).toList());
        }
        return new Matches(new ArrayList<>(found), copies);
    }

    @Override
    public synchronized void record(UUID userId, Map<String, Integer> countsByStatus, List<String> detectedNames,
                                    long detectionMicros) {
        checks.add(new Check(userId, clock.instant(), Map.copyOf(countsByStatus), List.copyOf(detectedNames),
                detectionMicros));
    }

    @Override
    public synchronized Stats stats(UUID userId, Instant since) {
        List<Check> mine = checks.stream().filter(c -> c.userId().equals(userId) && !c.at().isBefore(since)).toList();
        Map<String, Long> counts = new LinkedHashMap<>();
        long items = 0;
        for (Check c : mine) {
            for (var e : c.countsByStatus().entrySet()) {
                counts.merge(e.getKey(), (long) e.getValue(), Long::sum);
                items += e.getValue();
            }
        }
        double average = mine.stream().mapToLong(Check::detectionMicros).average().orElse(0);
        return new Stats(mine.size(), items, counts, average);
    }

    /** Every recorded check, oldest first. */
    public synchronized List<Check> checks() {
        return List.copyOf(checks);
    }

    /** What cleanup's {@code monitoring_events} task does to the table. */
    synchronized long prune(Instant before, int limit, boolean dryRun) {
        List<Check> old = checks.stream().filter(c -> c.at().isBefore(before)).limit(limit).toList();
        if (!dryRun) {
            checks.removeAll(old);
        }
        return old.size();
    }
}
