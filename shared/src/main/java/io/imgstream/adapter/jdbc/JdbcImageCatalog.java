package io.imgstream.adapter.jdbc;

import io.imgstream.application.port.ImageCatalog;
import io.imgstream.application.port.Outbox;
import io.imgstream.domain.Image;
import io.imgstream.domain.ImageDetails;
import io.imgstream.domain.Precondition;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The metadata of images on micronaut-data-jdbc repositories; each change and its event in one transaction. */
@Singleton
class JdbcImageCatalog implements ImageCatalog {

    private final ImageRepository images;
    private final PendingUploadRepository pending;
    private final RetiredObjectRepository retired;
    private final OutboxRepository outbox;
    private final ThumbnailRepository thumbnails;
    private final TransactionOperations<Connection> transactions;

    JdbcImageCatalog(ImageRepository images, PendingUploadRepository pending, RetiredObjectRepository retired,
                     OutboxRepository outbox, ThumbnailRepository thumbnails,
                     TransactionOperations<Connection> transactions) {
        this.images = images;
        this.pending = pending;
        this.retired = retired;
        this.outbox = outbox;
        this.thumbnails = thumbnails;
        this.transactions = transactions;
    }

    @Override
    public Optional<ImageDetails> describeLiveByKey(UUID userId, String collisionKey) {
        return Sql.call(() -> images.describeByKey(userId, collisionKey).map(ImageMatchRow::toDetails));
    }

    @Override
    public Optional<ImageDetails> describeLiveById(UUID userId, UUID imageId) {
        return Sql.call(() -> images.describeById(userId, imageId).map(ImageMatchRow::toDetails));
    }

    @Override
    public Optional<Image> findLiveByKey(UUID userId, String collisionKey) {
        return Sql.call(() -> images.findByUserIdAndCollisionKeyAndStatus(userId, collisionKey, ImageRow.LIVE)
                .map(ImageRow::toImage));
    }

    @Override
    public Optional<Image> findLiveById(UUID userId, UUID imageId) {
        return Sql.call(() -> images.findByIdAndUserIdAndStatus(imageId, userId, ImageRow.LIVE).map(ImageRow::toImage));
    }

    @Override
    public void recordPending(String objectName, UUID userId, UUID imageId) {
        Sql.run(() -> pending.save(new PendingUpload(objectName, userId, imageId, null)));
    }

    @Override
    public void forgetPending(String objectName) {
        Sql.run(() -> pending.deleteById(objectName));
    }

    @Override
    public Optional<Change> insertLive(Image image, NewEvent event) {
        try {
            return Optional.of(Sql.call(() -> transactions.executeWrite(status -> {
                Image inserted = images.insertLive(image.id(), image.userId(), image.filename(), image.collisionKey(),
                        image.sizeBytes(), image.sha256(), image.contentType(), image.width(), image.height(),
                        image.orientationOrUpright(), image.takenAt(), image.objectName()).toImage();
                pending.deleteById(image.objectName());
                return new Change(inserted, writeEvent(inserted, event));
            })));
        } catch (DatabaseException e) {
            // the partial unique index on live names is the arbiter: the loser of a race changes nothing
            if (Sql.isUniqueViolation(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public Optional<Change> replace(UUID userId, UUID imageId, Precondition precondition, NewContent content,
                                    NewEvent event) {
        return Sql.call(() -> transactions.executeWrite(status -> {
            Optional<ImageRow> current = images.findByIdAndUserIdAndStatusForUpdate(imageId, userId, ImageRow.LIVE);
            if (current.isEmpty() || !precondition.allowsChangeOf(current.get().toImage())) {
                return Optional.<Change>empty();
            }
            Image replaced = images.replaceContent(imageId, content.sizeBytes(), content.sha256(), content.contentType(),
                    content.width(), content.height(), content.orientation(), content.takenAt(), content.objectName()).toImage();
            retired.retire(current.get().objectName(), imageId);
            pending.deleteById(content.objectName());
            return Optional.of(new Change(replaced, writeEvent(replaced, event)));
        }));
    }

    @Override
    public Optional<Change> softDelete(UUID userId, UUID imageId, Precondition precondition, NewEvent event) {
        return Sql.call(() -> transactions.executeWrite(status -> {
            Optional<ImageRow> current = images.findByIdAndUserIdAndStatusForUpdate(imageId, userId, ImageRow.LIVE);
            if (current.isEmpty() || !precondition.allowsChangeOf(current.get().toImage())) {
                return Optional.<Change>empty();
            }
            Image deleted = images.markDeleted(imageId).toImage();
            return Optional.of(new Change(deleted, writeEvent(deleted, event)));
        }));
    }

    @Override
    public List<ImageDetails> listLive(UUID userId, String keyPrefix, String afterKey, UUID afterId, int limit) {
        // Byte order ("C") matches the listing index; the prefix is a range on it, so both use the index.
        String toKey = keyPrefix + "\uDBFF\uDFFF";
        return Sql.call(() -> (afterKey == null
                ? images.firstPage(userId, keyPrefix, toKey, limit)
                : images.pageAfter(userId, keyPrefix, toKey, afterKey, afterId, limit))
                .stream().map(ImageMatchRow::toDetails).toList());
    }

    @Override
    public void recordOrientation(Image image, int orientation) {
        Sql.run(() -> images.recordOrientation(image.id(), image.version(), orientation));
    }

    @Override
    public void recordThumbnail(Image image, String objectName) {
        Sql.run(() -> thumbnails.record(objectName, image.id(), image.version()));
    }

    @Override
    public List<UUID> idsWithContent(UUID userId, byte[] sha256, UUID excluding) {
        return Sql.call(() -> images.idsWithContent(userId, sha256, excluding));
    }

    @Override
    public Set<String> liveKeysAmong(UUID userId, Collection<String> collisionKeys) {
        return Sql.call(() -> new HashSet<>(images.liveKeysAmong(userId, Sql.texts(collisionKeys))));
    }

    /** The event as stored (the payload as the outbox keeps it, what the relay would read), in the same statement. */
    private Outbox.Event writeEvent(Image image, NewEvent event) {
        return outbox.append(event.eventId(), event.type(), image.userId(), image.id(), event.payload(image)).toEvent();
    }
}
