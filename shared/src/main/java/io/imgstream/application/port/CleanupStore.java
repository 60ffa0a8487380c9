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

    /** Forgets a pending upload, unless an image row now points to its object; true when forgotten. */
    boolean forgetPendingUpload(String objectName);

    /** Soft-deleted images deleted before {@code before}: their user, id and current object. */
    List<DeletedImage> deletedImagesBefore(Instant before, int limit);

    /** Removes a soft-deleted image's row; never touches a live row. Its retired versions keep their own rows. */
    boolean removeDeletedImage(UUID imageId);

    /** Retired objects retired before {@code before}. */
    List<String> retiredObjectsBefore(Instant before, int limit);

    /** Whether a live image row points to this object; such an object is never deleted. */
    boolean isLive(String objectName);

    /** Of {@code objectNames}, those a live image row points to (one statement). */
    Set<String> liveAmong(Collection<String> objectNames);

    /** Removes soft-deleted images' rows in one statement; never a live row. @return rows removed */
    int removeDeletedImages(Collection<UUID> imageIds);

    void forgetRetiredObject(String objectName);

    /** Of {@code objectNames}, those some row (image of any status, pending upload, retired object) knows. */
    Set<String> knownObjects(Collection<String> objectNames);

    /** Deletes up to {@code limit} collision events older than {@code before}; in a dry run only counts. */
    long pruneCollisionEvents(Instant before, int limit, boolean dryRun);

    /** A soft-deleted image awaiting purge. */
    record DeletedImage(UUID userId, UUID imageId, String objectName) {
    }
}
