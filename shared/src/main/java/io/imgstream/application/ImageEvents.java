package io.imgstream.application;

import io.imgstream.application.port.ImageCatalog;
import io.imgstream.domain.Image;
import io.imgstream.json.JsonStrings;

import java.util.UUID;

/**
 * The JSON of image events on {@code EVENTS_TOPIC}: {@code image.uploaded}, {@code image.replaced},
 * {@code image.deleted}. A stable, documented shape; consumers dedupe on {@code eventId}. A use case hands the
 * catalog the event of its change ({@link #uploaded()}, …); the catalog renders it from the image as committed and
 * stores it with the change.
 */
public final class ImageEvents {

    public static final String UPLOADED = "image.uploaded";
    public static final String REPLACED = "image.replaced";
    public static final String DELETED = "image.deleted";

    private ImageEvents() {
    }

    /** A new image (also under {@code onConflict=rename}). */
    public static ImageCatalog.NewEvent uploaded() {
        return new Event(UUID.randomUUID(), UPLOADED);
    }

    /** New bytes for an image ({@code onConflict=overwrite}). */
    public static ImageCatalog.NewEvent replaced() {
        return new Event(UUID.randomUUID(), REPLACED);
    }

    /** A soft delete. */
    public static ImageCatalog.NewEvent deleted() {
        return new Event(UUID.randomUUID(), DELETED);
    }

    public static String payload(UUID eventId, String type, Image image) {
        StringBuilder json = new StringBuilder(384);
        json.append("{\"eventId\":\"").append(eventId).append("\",\"type\":\"").append(type)
                .append("\",\"occurredAt\":\"").append(image.updatedAt()).append("\",\"image\":{\"id\":\"")
                .append(image.id()).append("\",\"userId\":\"").append(image.userId()).append("\",\"filename\":");
        JsonStrings.quote(json, image.filename());
        json.append(",\"version\":").append(image.version()).append(",\"sha256\":\"").append(image.sha256Hex())
                .append("\",\"sizeBytes\":").append(image.sizeBytes()).append(",\"contentType\":\"")
                .append(image.contentType()).append("\"}}");
        return json.toString();
    }

    private record Event(UUID eventId, String type) implements ImageCatalog.NewEvent {
        @Override
        public String payload(Image committed) {
            return ImageEvents.payload(eventId, type, committed);
        }
    }
}
