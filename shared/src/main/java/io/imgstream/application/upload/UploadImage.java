package io.imgstream.application.upload;

import io.imgstream.application.ImageEvents;
import io.imgstream.application.NameSuggestions;
import io.imgstream.application.PublishEvents;
import io.imgstream.application.port.ImageCatalog;
import io.imgstream.application.port.ImageCatalog.NewContent;
import io.imgstream.application.port.ObjectStorage;
import io.imgstream.config.UploadLimits;
import io.imgstream.domain.ConflictPolicy;
import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.Filename;
import io.imgstream.domain.Image;
import io.imgstream.domain.ImageDetails;
import io.imgstream.domain.ImageFormat;
import io.imgstream.domain.ImgStreamException;
import io.imgstream.domain.Precondition;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Stores one image under the collision rules.
 *
 * <p>The write protocol keeps "no live row without its object" under any crash or race:
 * <ol>
 *   <li>validate the name, then the first bytes (format by magic bytes, declared pixel count) — a refusal
 *       stores nothing;</li>
 *   <li>record a pending intent for a fresh, write-once object name;</li>
 *   <li>stream the body to that object, computing SHA-256 and counting bytes on the way;</li>
 *   <li>commit the row in one transaction (PostgreSQL's unique index on live collision keys decides races),
 *       forgetting the intent and writing the event to the outbox.</li>
 * </ol>
 * A crash after step 2 leaves an intent and maybe an object, which cleanup removes; a loser of a race
 * deletes its object at once.
 */
@Singleton
public class UploadImage {

    /** Headers are read from this much of the start of the body; the rest streams straight to storage. */
    static final int HEADER_BYTES = 256 * 1024;
    private static final int MAX_ATTEMPTS = 25;
    private static final Logger LOG = LoggerFactory.getLogger(UploadImage.class);

    private final ImageCatalog catalog;
    private final ObjectStorage storage;
    private final NameSuggestions names;
    private final UploadLimits limits;
    private final PublishEvents events;

    public UploadImage(ImageCatalog catalog, ObjectStorage storage, NameSuggestions names, UploadLimits limits,
                       PublishEvents events) {
        this.catalog = catalog;
        this.storage = storage;
        this.names = names;
        this.limits = limits;
        this.events = events;
    }

        public UploadOutcome upload(UploadCommand command) {
        Filename name = Filename.parse(command.filename());
        long max = command.maxBytes() > 0 ? command.maxBytes() : limits.maxUploadBytes();
        if (command.declaredBytes() > max) {
            throw tooLarge(max);
        }
        if (command.declaredBytes() == 0) {
            throw empty();
        }
        byte[] header = new byte[(int) Math.min(HEADER_BYTES, max + 1)];
        int headerLength = readHeader(command.body(), header);
        if (headerLength == 0) {
            throw empty();
        }
        if (headerLength > max) {
            throw tooLarge(max);
        }
        ImageFormat format = ImageFormat.detect(header, headerLength).orElseThrow(() -> new ImgStreamException(
                ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                "The content is not a JPEG, PNG, GIF, WebP, HEIC/HEIF, AVIF, TIFF or BMP image (judged by its bytes, not its name or declared type)."));
        ImageInspector.Inspection inspection = ImageInspector.inspect(header, headerLength);
        if (inspection.pixels() > limits.maxImagePixels()) {
            throw new ImgStreamException(ErrorCode.IMAGE_TOO_LARGE, "The image declares " + inspection.width() + "×"
                    + inspection.height() + " pixels; at most " + limits.maxImagePixels() + " are accepted.");
        }

        UUID userId = command.caller().userId();
        Optional<Image> existing = catalog.findLiveByKey(userId, name.collisionKey());
        boolean replacing = command.policy() == ConflictPolicy.OVERWRITE && existing.isPresent();
        UUID ownerId = replacing ? existing.get().id() : UUID.randomUUID();
        int version = replacing ? existing.get().version() + 1 : 1;
        String objectName = objectName(userId, ownerId, version);

        catalog.recordPending(objectName, userId, ownerId);
        GuardedBodyStream body = new GuardedBodyStream(
                new SequenceInputStream(new ByteArrayInputStream(header, 0, headerLength), command.body()), max, sha256());
        try {
            storage.write(objectName, body, format.contentType());
        } catch (RuntimeException e) {
            discard(objectName);
            throw writeFailure(e, max);
        }
        NewContent content = new NewContent(objectName, format.contentType(), body.count(), body.sha256(),
                inspection.width(), inspection.height(), inspection.orientation(), inspection.takenAt());
        Stored stored;
        try {
            stored = commit(userId, name, replacing ? UUID.randomUUID() : ownerId, content, command.policy(),
                    command.precondition(), existing);
        } catch (RuntimeException e) {
            if (outcomeUnknown(e)) {
                // The database did not answer: the commit may still have happened (a COMMIT sent to a hung server is
                // applied when it resumes), so the object may belong to a live row and must stay; and asking the
                // database to forget the intent would wait for it a second time. The intent decides: cleanup deletes
                // the object once the grace period is over, only if no committed row took it.
                LOG.warn("Upload of {} failed with the database unavailable; its object {} is left to cleanup",
                        name.display(), objectName);
            } else {
                // The row did not commit: the object is debris. Remove it now; cleanup would later.
                discard(objectName);
            }
            throw e;
        }
        // Committed: from here on nothing may delete the object, whatever fails.
        return outcome(stored.image(), stored.created());
    }

    /** A row the commit step wrote or found; {@code created} when it is a new image. */
    private record Stored(Image image, boolean created) {
    }

    /**
     * A 503 from the database or storage: a dependency did not answer within its bound, so whether the last write
     * took effect is unknown. Every refusal of the rules (409, 412, …) is a definite "not stored".
     */
    static boolean outcomeUnknown(RuntimeException e) {
        return !(e instanceof ImgStreamException refusal) || refusal.code() == ErrorCode.SERVICE_UNAVAILABLE;
    }

    /**
     * Write-once object names: the image id and version, plus a random suffix so that two concurrent
     * overwrites of one image can never write the same object.
     */
    static String objectName(UUID userId, UUID imageId, int version) {
        return "users/" + userId + "/images/" + imageId + "/v" + version + "-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    private Stored commit(UUID userId, Filename name, UUID newId, NewContent content, ConflictPolicy policy,
                                 Precondition precondition, Optional<Image> seen) {
        Optional<Image> current = seen;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            if (attempt > 0) {
                current = catalog.findLiveByKey(userId, name.collisionKey());
            }
            if (current.isEmpty()) {
                if (!precondition.allowsChangeOf(null)) {
                    discardBeforeAnswering(content.objectName());
                    throw new ImgStreamException(ErrorCode.PRECONDITION_FAILED, "No image named '" + name.display()
                            + "' exists, so If-Match cannot hold; upload without it to create one.");
                }
                Optional<Stored> inserted = published(
                        catalog.insertLive(newImage(newId, userId, name, content), ImageEvents.uploaded()), true);
                if (inserted.isPresent()) {
                    return inserted.get();
                }
                continue; // another upload took the name between our read and our insert
            }
            Image existing = current.get();
            if (Arrays.equals(existing.sha256(), content.sha256())) {
                discardBeforeAnswering(content.objectName());
                return new Stored(existing, false);
            }
            if (!precondition.allowsChangeOf(existing)) {
                discardBeforeAnswering(content.objectName());
                throw Precondition.failed(new ImageDetails(existing,
                        catalog.idsWithContent(userId, existing.sha256(), existing.id())));
            }
            switch (policy) {
                case REJECT -> {
                    discardBeforeAnswering(content.objectName());
                    throw new ImgStreamException(ErrorCode.FILENAME_CONFLICT, "An image named '" + existing.filename()
                            + "' exists; choose onConflict=overwrite, rename or skip.", new ImageDetails(existing,
                            catalog.idsWithContent(userId, existing.sha256(), existing.id())), null);
                }
                case SKIP -> {
                    discardBeforeAnswering(content.objectName());
                    return new Stored(existing, false);
                }
                case OVERWRITE -> {
                    Optional<Stored> replaced = published(
                            catalog.replace(userId, existing.id(), precondition, content, ImageEvents.replaced()), false);
                    if (replaced.isPresent()) {
                        return replaced.get();
                    }
                }
                case RENAME -> {
                    Filename free = names.firstFreeCopy(userId, name);
                    Optional<Stored> inserted = published(
                            catalog.insertLive(newImage(newId, userId, free, content), ImageEvents.uploaded()), true);
                    if (inserted.isPresent()) {
                        return inserted.get();
                    }
                }
            }
        }
        discardBeforeAnswering(content.objectName()); // definite: no attempt committed
        throw new ImgStreamException(ErrorCode.SERVICE_UNAVAILABLE,
                "Too many concurrent changes to this name; retry the upload.");
    }

    /** A committed change, its event published (never failing the request): what the commit step returns. */
    private Optional<Stored> published(Optional<ImageCatalog.Change> change, boolean created) {
        change.ifPresent(committed -> events.afterCommit(committed.event()));
        return change.map(committed -> new Stored(committed.image(), created));
    }

    /**
     * 412: the image a conditional change targets is not the version the client named (RFC 9110 §13.1); the answer
     * carries what it is now, as a 409 does, so the client can merge or retry without another request.
     */
    private static Image newImage(UUID id, UUID userId, Filename name, NewContent content) {
        return new Image(id, userId, name.display(), name.collisionKey(), content.contentType(), content.sizeBytes(),
                content.sha256(), content.width(), content.height(), content.orientation(), content.takenAt(), 1, null, null,
                content.objectName());
    }

    private UploadOutcome outcome(Image image, boolean created) {
        return new UploadOutcome(image, created, catalog.idsWithContent(image.userId(), image.sha256(), image.id()));
    }

    /**
     * {@link #discard}, inside the commit step, where more reads follow (the existing image of a 409, its copies): when the
     * database stopped answering while the intent was forgotten, the request ends here with the 503 rather than waiting
     * for it once more. The object is gone by then; the intent is left to cleanup.
     */
    private void discardBeforeAnswering(String objectName) {
        RuntimeException unavailable = discard(objectName);
        if (unavailable != null && outcomeUnknown(unavailable)) {
            throw unavailable;
        }
    }

    /**
     * Best effort: delete a losing or failed upload's object and its intent; what fails here, cleanup finishes.
     *
     * @return the failure, null when both went
     */
    private RuntimeException discard(String objectName) {
        try {
            storage.delete(objectName);
            catalog.forgetPending(objectName);
            return null;
        } catch (RuntimeException e) {
            LOG.warn("Could not discard {} now; cleanup will: {}", objectName, e.toString());
            return e;
        }
    }

    private static RuntimeException writeFailure(RuntimeException e, long max) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PayloadTooLargeException) {
                return tooLarge(max);
            }
            if (t instanceof ClientStreamException) {
                return new ImgStreamException(ErrorCode.BAD_REQUEST, "The upload ended before its body was complete.", e);
            }
        }
        return e instanceof ImgStreamException ? e : new ImgStreamException(ErrorCode.SERVICE_UNAVAILABLE,
                "The image store is unavailable; retry later.", e);
    }

    private static int readHeader(InputStream in, byte[] header) {
        try {
            return in.readNBytes(header, 0, header.length);
        } catch (IOException e) {
            throw new ImgStreamException(ErrorCode.BAD_REQUEST, "The upload ended before its body was complete.", e);
        }
    }

    private static ImgStreamException tooLarge(long max) {
        return new ImgStreamException(ErrorCode.PAYLOAD_TOO_LARGE, "An upload may hold at most " + max + " bytes.");
    }

    private static ImgStreamException empty() {
        return new ImgStreamException(ErrorCode.EMPTY_FILE, "The file is empty.");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
