package io.imgstream.application.port;

import io.imgstream.domain.Image;

/**
 * The JSON of image events on {@code EVENTS_TOPIC}: {@code image.uploaded}, {@code image.replaced},
 * {@code image.deleted}. A stable, documented shape; consumers dedupe on {@code eventId}.
 */
public final class ImageEvents {

    public static final String UPLOADED = "image.uploaded";
    public static final String REPLACED = "image.replaced";
    public static final String DELETED = "image.deleted";

    private ImageEvents() {
    }

    public static String payload(ImageCatalog.OutboxEntry event, Image image) {
        StringBuilder json = new StringBuilder(384);
        json.append("{\"eventId\":\"").append(event.eventId()).append("\",\"type\":\"").append(event.type())
                .append("\",\"occurredAt\":\"").append(image.updatedAt()).append("\",\"image\":{\"id\":\"")
                .append(image.id()).append("\",\"userId\":\"").append(image.userId()).append("\",\"filename\":");
        quote(json, image.filename());
        json.append(",\"version\":").append(image.version()).append(",\"sha256\":\"").append(image.sha256Hex())
                .append("\",\"sizeBytes\":").append(image.sizeBytes()).append(",\"contentType\":\"")
                .append(image.contentType()).append("\"}}");
        return json.toString();
    }

    private static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
