package io.imgstream.application.inmemory;

import io.imgstream.application.port.ImageCatalog;
import io.imgstream.application.port.Outbox;
import io.imgstream.domain.Image;
import io.imgstream.domain.ImageDetails;
import io.imgstream.domain.Precondition;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The metadata of images in maps, with the rules the database holds for the JDBC adapter: one live image per user
 * and collision key (an insert that loses answers empty), versions and times set by the store, each change and its
 * event in one step (here: one lock), the pending intents, retired versions and thumbnails cleanup reads.
 */
public final class InMemoryImageCatalog implements ImageCatalog {

    /** The oldest first, as {@code sameContentAs} is everywhere. */
    static final Comparator<Image> OLDEST_FIRST = Comparator.comparing(Image::createdAt).thenComparing(Image::id);

    /** An image row: the image, and when it was soft-deleted (null while live). */
    record Row(Image image, Instant deletedAt) {
        boolean live() {
            return deletedAt == null;
        }
    }

    record Thumbnail(UUID imageId, int version) {
    }

    private final Clock clock;
    private final InMemoryOutbox outbox;
    final Map<UUID, Row> images = new LinkedHashMap<>();
    final Map<String, Instant> pending = new LinkedHashMap<>();
    final Map<String, Instant> retired = new LinkedHashMap<>();
    final Map<String, Thumbnail> thumbnails = new LinkedHashMap<>();
    final Map<UUID, Integer> orientations = new LinkedHashMap<>();

    public InMemoryImageCatalog(Clock clock, InMemoryOutbox outbox) {
        this.clock = clock;
        this.outbox = outbox;
    }

    /** Timestamps as PostgreSQL keeps them: microseconds. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    @Override
    public synchronized Optional<Image> findLiveByKey(UUID userId, String collisionKey) {
        return live(userId).filter(i -> i.collisionKey().equals(collisionKey)).findFirst();
    }

    @Override
    public synchronized Optional<Image> findLiveById(UUID userId, UUID imageId) {
        return live(userId).filter(i -> i.id().equals(imageId)).findFirst();
    }

    @Override
    public synchronized Optional<ImageDetails> describeLiveByKey(UUID userId, String collisionKey) {
        return findLiveByKey(userId, collisionKey).map(this::details);
    }

    @Override
    public synchronized Optional<ImageDetails> describeLiveById(UUID userId, UUID imageId) {
        return findLiveById(userId, imageId).map(this::details);
    }

    @Override
    public synchronized void recordPending(String objectName, UUID userId, UUID imageId) {
        pending.put(objectName, now());
    }

    @Override
    public synchronized void forgetPending(String objectName) {
        pending.remove(objectName);
    }

    @Override
    public synchronized Optional<Change> insertLive(Image image, NewEvent event) {
        if (findLiveByKey(image.userId(), image.collisionKey()).isPresent()) {
            return Optional.empty(); // what the unique index on live collision keys answers
        }
        Instant now = now();
        Image inserted = new Image(image.id(), image.userId(), image.filename(), image.collisionKey(), image.contentType(),
                image.sizeBytes(), image.sha256(), image.width(), image.height(), image.orientationOrUpright(),
                image.takenAt(), 1, now, now, image.objectName());
        images.put(inserted.id(), new Row(inserted, null));
        pending.remove(image.objectName());
        return Optional.of(new Change(inserted, write(inserted, event)));
    }

    @Override
    public synchronized Optional<Change> replace(UUID userId, UUID imageId, Precondition precondition, NewContent content,
                                                 NewEvent event) {
        Optional<Image> current = findLiveById(userId, imageId);
        if (current.isEmpty() || !precondition.allowsChangeOf(current.get())) {
            return Optional.empty();
        }
        Image old = current.get();
        Image replaced = new Image(old.id(), old.userId(), old.filename(), old.collisionKey(), content.contentType(),
                content.sizeBytes(), content.sha256(), content.width(), content.height(), content.orientation(),
                content.takenAt(), old.version() + 1, old.createdAt(), now(), content.objectName());
        images.put(imageId, new Row(replaced, null));
        retired.put(old.objectName(), now());
        pending.remove(content.objectName());
        return Optional.of(new Change(replaced, write(replaced, event)));
    }

    @Override
    public synchronized Optional<Change> softDelete(UUID userId, UUID imageId, Precondition precondition, NewEvent event) {
        Optional<Image> current = findLiveById(userId, imageId);
        if (current.isEmpty() || !precondition.allowsChangeOf(current.get())) {
            return Optional.empty();
        }
        Image old = current.get();
        Instant now = now();
        Image deleted = new Image(old.id(), old.userId(), old.filename(), old.collisionKey(), old.contentType(),
                old.sizeBytes(), old.sha256(), old.width(), old.height(), old.orientation(), old.takenAt(), old.version(),
                old.createdAt(), now, old.objectName());
        images.put(imageId, new Row(deleted, now));
        return Optional.of(new Change(deleted, write(deleted, event)));
    }

    @Override
    public synchronized List<ImageDetails> listLive(UUID userId, String keyPrefix, String afterKey, UUID afterId, int limit) {
        return live(userId).filter(i -> i.collisionKey().startsWith(keyPrefix))
                .filter(i -> afterKey == null || i.collisionKey().compareTo(afterKey) > 0
                        || (i.collisionKey().equals(afterKey) && i.id().compareTo(afterId) > 0))
                .sorted(Comparator.comparing(Image::collisionKey).thenComparing(Image::id))
                .limit(limit).map(this::details).toList();
    }

    @Override
    public synchronized void recordOrientation(Image image, int orientation) {
        orientations.putIfAbsent(image.id(), orientation);
    }

    @Override
    public synchronized void recordThumbnail(Image image, String objectName) {
        thumbnails.put(objectName, new Thumbnail(image.id(), image.version()));
    }

    @Override
    public synchronized List<UUID> idsWithContent(UUID userId, byte[] sha256, UUID excluding) {
        return live(userId).filter(i -> Arrays.equals(i.sha256(), sha256) && !i.id().equals(excluding))
                .sorted(OLDEST_FIRST).limit(ImageDetails.MAX_SAME_CONTENT).map(Image::id).toList();
    }

    @Override
    public synchronized Set<String> liveKeysAmong(UUID userId, Collection<String> collisionKeys) {
        Set<String> wanted = new HashSet<>(collisionKeys);
        Set<String> live = new HashSet<>();
        live(userId).map(Image::collisionKey).filter(wanted::contains).forEach(live::add);
        return live;
    }

    /** This user's live images, in no particular order. */
    public synchronized List<Image> liveImages(UUID userId) {
        return live(userId).toList();
    }

    /** Every row, live or soft-deleted. */
    public synchronized List<Image> allImages() {
        return images.values().stream().map(Row::image).toList();
    }

    /** The object names of pending intents. */
    public synchronized Set<String> pendingObjects() {
        return new HashSet<>(pending.keySet());
    }

    /** The objects of retired versions awaiting cleanup. */
    public synchronized Set<String> retiredObjects() {
        return new HashSet<>(retired.keySet());
    }

    private java.util.stream.Stream<Image> live(UUID userId) {
        return new ArrayList<>(images.values()).stream().filter(Row::live).map(Row::image)
                .filter(i -> i.userId().equals(userId));
    }

    private ImageDetails details(Image image) {
        return new ImageDetails(image, idsWithContent(image.userId(), image.sha256(), image.id()));
    }

    private Outbox.Event write(Image committed, NewEvent event) {
        return outbox.append(event.eventId(), event.type(), event.payload(committed));
    }
}
