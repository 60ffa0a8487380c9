package io.imgstream.application.inmemory;

import io.imgstream.application.port.CleanupStore;
import io.imgstream.domain.Image;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;

/**
 * The metadata side of cleanup over the rows of {@link InMemoryImageCatalog} (images, pending intents, retired
 * versions, thumbnails), {@link InMemoryCollisionLookup}'s recorded checks, and resumable uploads of its own.
 */
public final class InMemoryCleanupStore implements CleanupStore {

    private final InMemoryImageCatalog catalog;
    private final InMemoryCollisionLookup checks;
    /** PostgreSQL's advisory lock of cleanup: one permit. */
    private final Semaphore lock = new Semaphore(1);
    private final Map<UUID, String> expiredUploads = new LinkedHashMap<>();

    public InMemoryCleanupStore(InMemoryImageCatalog catalog, InMemoryCollisionLookup checks) {
        this.catalog = catalog;
        this.checks = checks;
    }

    /** As another run holding the advisory lock: every run meanwhile does nothing. */
    public void holdLock(boolean held) {
        if (held) {
            lock.acquireUninterruptibly();
        } else {
            lock.release();
        }
    }

    /** A resumable upload past its expiry, its parts under {@code partsPrefix}. */
    public synchronized void expiredUpload(UUID id, String partsPrefix) {
        expiredUploads.put(id, partsPrefix);
    }

    public synchronized Set<UUID> expiredUploadIds() {
        return new HashSet<>(expiredUploads.keySet());
    }

    @Override
    public boolean withExclusiveLock(Runnable work) {
        boolean mine = lock.tryAcquire();
        try {
            if (mine) {
                work.run();
            }
            return mine;
        } finally {
            if (mine) {
                lock.release();
            }
        }
    }

    @Override
    public List<String> stalePendingUploads(Instant before, int limit) {
        return oldestBefore(catalog.pending, before, limit);
    }

    @Override
    public List<DeletedImage> deletedImagesBefore(Instant before, int limit) {
        synchronized (catalog) {
            return catalog.images.values().stream().filter(r -> !r.live() && r.deletedAt().isBefore(before))
                    .sorted(java.util.Comparator.comparing(InMemoryImageCatalog.Row::deletedAt)).limit(limit)
                    .map(r -> new DeletedImage(r.image().userId(), r.image().id(), r.image().objectName())).toList();
        }
    }

    @Override
    public int forgetPendingUploads(Collection<String> objectNames) {
        return forget(catalog.pending, objectNames);
    }

    @Override
    public synchronized Map<UUID, String> expiredUploads(int limit) {
        Map<UUID, String> batch = new LinkedHashMap<>();
        expiredUploads.entrySet().stream().limit(limit).forEach(e -> batch.put(e.getKey(), e.getValue()));
        return batch;
    }

    @Override
    public List<String> retiredObjectsBefore(Instant before, int limit) {
        return oldestBefore(catalog.retired, before, limit);
    }

    @Override
    public synchronized int forgetUploads(Collection<UUID> ids) {
        int removed = 0;
        for (UUID id : ids) {
            removed += expiredUploads.remove(id) == null ? 0 : 1;
        }
        return removed;
    }

    @Override
    public int forgetRetiredObjects(Collection<String> objectNames) {
        return forget(catalog.retired, objectNames);
    }

    @Override
    public List<String> staleThumbnails(int limit) {
        synchronized (catalog) {
            return catalog.thumbnails.entrySet().stream().filter(e -> {
                InMemoryImageCatalog.Row row = catalog.images.get(e.getValue().imageId());
                return row == null || !row.live() || row.image().version() != e.getValue().version();
            }).limit(limit).map(Map.Entry::getKey).toList();
        }
    }

    @Override
    public int forgetThumbnails(Collection<String> objectNames) {
        return forget(catalog.thumbnails, objectNames);
    }

    @Override
    public Set<String> liveAmong(Collection<String> objectNames) {
        synchronized (catalog) {
            Set<String> live = new HashSet<>();
            catalog.images.values().stream().filter(InMemoryImageCatalog.Row::live).map(r -> r.image().objectName())
                    .filter(objectNames::contains).forEach(live::add);
            return live;
        }
    }

    @Override
    public int removeDeletedImages(Collection<UUID> imageIds) {
        synchronized (catalog) {
            // never a live row, whatever the caller asks
            return forget(catalog.images, imageIds.stream().filter(id -> catalog.images.containsKey(id)
                    && !catalog.images.get(id).live()).toList());
        }
    }

    @Override
    public Set<String> knownObjects(Collection<String> objectNames) {
        synchronized (catalog) {
            Set<String> known = new HashSet<>(catalog.pending.keySet());
            known.addAll(catalog.retired.keySet());
            catalog.images.values().forEach(r -> known.add(r.image().objectName()));
            catalog.thumbnails.forEach((name, t) -> {
                InMemoryImageCatalog.Row row = catalog.images.get(t.imageId());
                if (row != null && row.live() && row.image().version() == t.version()) {
                    known.add(name);
                }
            });
            known.retainAll(new HashSet<>(objectNames));
            return known;
        }
    }

    @Override
    public long pruneCollisionEvents(Instant before, int limit, boolean dryRun) {
        return checks.prune(before, limit, dryRun);
    }

    /** The names of rows stamped before {@code before}, oldest first. */
    private List<String> oldestBefore(Map<String, Instant> rows, Instant before, int limit) {
        synchronized (catalog) {
            return rows.entrySet().stream().filter(e -> e.getValue().isBefore(before))
                    .sorted(Map.Entry.comparingByValue()).limit(limit).map(Map.Entry::getKey).toList();
        }
    }

    /** Removes these keys' rows in one step, as one statement would. @return rows removed */
    private <K> int forget(Map<K, ?> rows, Collection<K> keys) {
        synchronized (catalog) {
            return (int) keys.stream().distinct().filter(key -> rows.remove(key) != null).count();
        }
    }

    /** The image rows left, live or soft-deleted. */
    public List<Image> images() {
        return catalog.allImages();
    }
}
