package io.imgstream.adapter.jdbc;

import io.imgstream.application.port.CollisionLookup;
import io.imgstream.domain.Image;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@Singleton
class JdbcCollisionLookup implements CollisionLookup {

    private final ImageRepository images;
    private final CollisionEventRepository events;

    JdbcCollisionLookup(ImageRepository images, CollisionEventRepository events) {
        this.images = images;
        this.events = events;
    }

    /** One statement ({@link ImageRepository#findMatches}); an image found by two of its parts is kept once. */
    @Override
    public Matches find(UUID userId, Collection<String> keys, Collection<byte[]> sha256s, Collection<String> copyPrefixes) {
        List<ImageMatchRow> rows = Sql.call(() -> images.findMatches(userId, Sql.texts(keys),
                sha256s.toArray(new byte[0][]), Sql.texts(copyPrefixes)));
        Map<UUID, Image> found = new LinkedHashMap<>();
        Map<String, List<String>> taken = new HashMap<>();
        for (ImageMatchRow row : rows) {
            if (row.isMatch()) {
                found.putIfAbsent(row.id(), row.toImage());
            } else {
                taken.computeIfAbsent(row.copyPrefix(), k -> new ArrayList<>()).add(row.collisionKey());
            }
        }
        return new Matches(List.copyOf(found.values()), taken);
    }

    @Override
    public void record(UUID userId, Map<String, Integer> counts, List<String> detectedNames, long detectionMicros) {
        int items = counts.values().stream().mapToInt(Integer::intValue).sum();
        Sql.run(() -> events.append(userId, items, counts.getOrDefault("available", 0), counts.getOrDefault("exists", 0),
                counts.getOrDefault("identical", 0), counts.getOrDefault("invalid", 0),
                counts.getOrDefault("duplicate_in_request", 0), Sql.texts(detectedNames), detectionMicros));
    }

    @Override
    public Stats stats(UUID userId, Instant since) {
        CollisionEventRepository.Totals t = Sql.call(() -> events.totals(userId, since));
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("available", t.available());
        counts.put("exists", t.existsCount());
        counts.put("identical", t.identical());
        counts.put("invalid", t.invalid());
        counts.put("duplicate_in_request", t.duplicateInRequest());
        return new Stats(t.checks(), t.items(), counts, t.averageMicros());
    }
}
