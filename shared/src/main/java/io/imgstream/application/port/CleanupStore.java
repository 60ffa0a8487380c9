package io.imgstream.application.port;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The metadata side of cleanup: candidates to reconcile, and the re-checks before each deletion. */
public interface CleanupStore {

    /** Holds PostgreSQL's advisory lock of cleanup for the duration of {@code work}; false if another run holds it. */
    boolean withExclusiveLock(Runnable work);

    /** Pending uploads created before {@code before}, oldest first. */
    List<String> stalePendingUploads(Instant before, int limit);

    /** Forgets these pending uploads (their objects are dealt with) in one statement. @return rows removed */
    int forgetPendingUploads(Collection<String> objectNames);

    /** Soft-deleted images deleted before {@code before}: their user, id and current object. */
    List<DeletedImage> deletedImagesBefore(Instant before, int limit);

    /** Retired objects retired before {@code before}. */
    List<String> retiredObjectsBefore(Instant before, int limit);

    /** Resumable uploads past their expiry (finished or not): the prefixes of their parts, by upload id. */
    java.util.Map<UUID, String> expiredUploads(int limit);

    /** Forgets these resumable uploads (their parts are deleted) in one statement. @return rows removed */
    int forgetUploads(Collection<UUID> ids);

    /** Thumbnail objects whose image is no longer live at the version they show, oldest first. */
    List<String> staleThumbnails(int limit);

    /** Forgets these thumbnails (their objects are deleted) in one statement. @return rows removed */
    int forgetThumbnails(Collection<String> objectNames);

    /** Of {@code objectNames}, those a live image row points to (one statement); such an object is never deleted. */
    Set<String> liveAmong(Collection<String> objectNames);

    /** Removes soft-deleted images' rows in one statement; never a live row. Their retired versions keep their own rows. */
    int removeDeletedImages(Collection<UUID> imageIds);

    /** Forgets these retired objects (deleted, or live again) in one statement. @return rows removed */
    int forgetRetiredObjects(Collection<String> objectNames);

    /** Of {@code objectNames}, those some row (image of any status, pending upload, retired object, thumbnail of a live version) knows. */
    Set<String> knownObjects(Collection<String> objectNames);

    /** Deletes up to {@code limit} collision events older than {@code before}; in a dry run only counts. */
    long pruneCollisionEvents(Instant before, int limit, boolean dryRun);

    /** A soft-deleted image awaiting purge. */
    record DeletedImage(UUID userId, UUID imageId, String objectName) {
    }
}
