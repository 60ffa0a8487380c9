package io.imgstream.application.port;

import io.imgstream.domain.Image;
import io.imgstream.domain.ImageDetails;
import io.imgstream.domain.Precondition;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The metadata of images. PostgreSQL's unique index on live collision keys is the arbiter of names: an
 * insert that loses a race answers empty instead of creating a second live image.
 */
public interface ImageCatalog {

    Optional<Image> findLiveByKey(UUID userId, String collisionKey);

    Optional<Image> findLiveById(UUID userId, UUID imageId);

    /** {@link #findLiveByKey} with the image's copies ({@link ImageDetails}), in the same statement. */
    Optional<ImageDetails> describeLiveByKey(UUID userId, String collisionKey);

    /** {@link #findLiveById} with the image's copies ({@link ImageDetails}), in the same statement. */
    Optional<ImageDetails> describeLiveById(UUID userId, UUID imageId);

    /** Write-ahead intent, recorded before an object is written; cleanup removes objects of stale intents. */
    void recordPending(String objectName, UUID userId, UUID imageId);

    void forgetPending(String objectName);

    /**
     * In one transaction: inserts {@code image} as live, forgets its pending intent, writes its event.
     *
     * @return the image as inserted and the event written; empty when a live image of the same collision key exists
     *         (nothing was changed)
     */
    Optional<Change> insertLive(Image image, NewEvent event);

    /**
     * In one transaction: points a live image at new bytes with {@code version + 1}, retires its old object,
     * forgets the pending intent, writes the event — if the image, read under a row lock, meets {@code precondition}.
     *
     * @return the image as replaced and the event written; empty when the image is no longer live or no longer meets
     *         the precondition (nothing was changed)
     */
    Optional<Change> replace(UUID userId, UUID imageId, Precondition precondition, NewContent content, NewEvent event);

    /**
     * Soft delete, if the image, read under a row lock, meets {@code precondition}: the image disappears and its name
     * is free at once. In the same transaction, writes its event.
     *
     * @return the image as deleted and the event written; empty when not live or when it does not meet the
     *         precondition (nothing was changed)
     */
    Optional<Change> softDelete(UUID userId, UUID imageId, Precondition precondition, NewEvent event);

    /**
     * A page of this user's live images in collision-key order (then id), whose keys start with
     * {@code keyPrefix}, after the position {@code (afterKey, afterId)} when given; each with its copies
     * ({@link ImageDetails}), in the same statement.
     */
    List<ImageDetails> listLive(UUID userId, String keyPrefix, String afterKey, UUID afterId, int limit);

    /** Records the orientation of {@code image}'s version where the row does not know it yet (see migration V3). */
    void recordOrientation(Image image, int orientation);

    /** Records a thumbnail object kept for this version of the image, so cleanup deletes it with the version. */
    void recordThumbnail(Image image, String objectName);

    /** Ids of this user's live images with this content, but {@code excluding}. */
    List<UUID> idsWithContent(UUID userId, byte[] sha256, UUID excluding);

    /** Of {@code collisionKeys}, those held by a live image of this user. */
    Set<String> liveKeysAmong(UUID userId, Collection<String> collisionKeys);

    /** New bytes for an image. */
    record NewContent(String objectName, String contentType, long sizeBytes, byte[] sha256, Integer width,
                      Integer height, int orientation, Instant takenAt) {
    }

    /**
     * The event a change writes to the outbox in its transaction. The application chooses its id and type and renders
     * its payload ({@code io.imgstream.application.ImageEvents}) from the image as the transaction left it (its version
     * and times come from the database); the adapter stores what it is given.
     */
    interface NewEvent {

        UUID eventId();

        String type();

        /** The event's JSON for the image as committed. */
        String payload(Image committed);
    }

    /**
     * A committed change: the image as the transaction left it, and the event it wrote, ready to publish after the
     * commit without reading the outbox again.
     */
    record Change(Image image, Outbox.Event event) {
    }
}
