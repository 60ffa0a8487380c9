package io.imgstream.adapter.jdbc;

import io.imgstream.application.port.CleanupStore;
import io.micronaut.data.connection.ConnectionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

@Singleton
class JdbcCleanupStore implements CleanupStore {

    /** The advisory lock key of cleanup: "imgstream-cleanup" hashed once, a constant so every instance agrees. */
    static final long LOCK_KEY = 0x696d67636c6e7570L;

    private final ImageRepository images;
    private final PendingUploadRepository pending;
    private final RetiredObjectRepository retired;
    private final CollisionEventRepository collisionEvents;
    private final ThumbnailRepository thumbnails;
    private final ResumableUploadRepository uploads;
    private final ConnectionOperations<Connection> connections;

    JdbcCleanupStore(ImageRepository images, PendingUploadRepository pending, RetiredObjectRepository retired,
                     CollisionEventRepository collisionEvents, ThumbnailRepository thumbnails,
                     ResumableUploadRepository uploads, ConnectionOperations<Connection> connections) {
        this.images = images;
        this.pending = pending;
        this.retired = retired;
        this.collisionEvents = collisionEvents;
        this.thumbnails = thumbnails;
        this.uploads = uploads;
        this.connections = connections;
    }

    /**
     * A session-level advisory lock lives on one connection: the run holds that connection from the lock to the unlock
     * (the work's own statements run on it too, as the connection of the surrounding scope), and releases the lock
     * explicitly, since a pooled connection outlives the run.
     */
    @Override
    public boolean withExclusiveLock(Runnable work) {
        return Sql.call(() -> connections.executeWrite(status -> {
            if (!images.tryAdvisoryLock(LOCK_KEY)) {
                return false;
            }
            try {
                work.run();
                return true;
            } finally {
                images.advisoryUnlock(LOCK_KEY);
            }
        }));
    }

    @Override
    public List<String> stalePendingUploads(Instant before, int limit) {
        return Sql.call(() -> pending.staleBefore(before, limit));
    }

    @Override
    public int forgetPendingUploads(Collection<String> objectNames) {
        return Sql.call(() -> pending.deleteAll(Sql.texts(objectNames)));
    }

    @Override
    public List<DeletedImage> deletedImagesBefore(Instant before, int limit) {
        return Sql.call(() -> images.deletedBefore(before, limit).stream()
                .map(row -> new DeletedImage(row.userId(), row.id(), row.objectName())).toList());
    }

    @Override
    public List<String> retiredObjectsBefore(Instant before, int limit) {
        return Sql.call(() -> retired.retiredBefore(before, limit));
    }

    @Override
    public java.util.Map<UUID, String> expiredUploads(int limit) {
        return Sql.call(() -> {
            java.util.Map<UUID, String> out = new java.util.LinkedHashMap<>();
            uploads.expired(limit).forEach(row -> out.put(row.id(), row.toUpload().partPrefix()));
            return out;
        });
    }

    @Override
    public int forgetUploads(Collection<UUID> ids) {
        return Sql.call(() -> uploads.forget(ids.stream().map(UUID::toString).toArray(String[]::new)));
    }

    @Override
    public List<String> staleThumbnails(int limit) {
        return Sql.call(() -> thumbnails.stale(limit));
    }

    @Override
    public int forgetThumbnails(Collection<String> objectNames) {
        return Sql.call(() -> thumbnails.deleteAll(Sql.texts(objectNames)));
    }

    @Override
    public Set<String> liveAmong(Collection<String> objectNames) {
        return Sql.call(() -> new HashSet<>(images.liveAmong(Sql.texts(objectNames))));
    }

    @Override
    public int removeDeletedImages(Collection<UUID> imageIds) {
        return Sql.call(() -> images.removeDeleted(imageIds.stream().map(UUID::toString).toArray(String[]::new)));
    }

    @Override
    public int forgetRetiredObjects(Collection<String> objectNames) {
        return Sql.call(() -> retired.deleteAll(Sql.texts(objectNames)));
    }

    @Override
    public Set<String> knownObjects(Collection<String> objectNames) {
        return Sql.call(() -> new HashSet<>(images.knownObjects(Sql.texts(objectNames))));
    }

    @Override
    public long pruneCollisionEvents(Instant before, int limit, boolean dryRun) {
        return Sql.call(() -> dryRun
                ? collisionEvents.countBefore(before, limit)
                : (long) collisionEvents.deleteBefore(before, limit));
    }
}
