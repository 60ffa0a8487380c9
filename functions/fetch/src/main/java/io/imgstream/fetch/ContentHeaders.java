package io.imgstream.fetch;

import io.imgstream.domain.Image;
import io.imgstream.web.ConditionalHeaders;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** HTTP header values of image content: RFC 6266 disposition, RFC 9110 validators and dates. */
final class ContentHeaders {

    private ContentHeaders() {
    }

    /** {@code inline; filename="ascii-fallback"; filename*=UTF-8''percent-encoded} (RFC 6266, RFC 8187). */
    static String disposition(Image image, boolean download) {
        String name = image.filename();
        StringBuilder ascii = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            ascii.append(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' ? c : '_');
        }
        String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20")
                .replace("*", "%2A").replace("%7E", "~");
        return (download ? "attachment" : "inline") + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }

    /** {@code inline}, named after the image with the thumbnail's extension: {@code photo.heic} → {@code photo.jpg}. */
    static String thumbnailDisposition(Image image, String contentType) {
        String name = image.filename();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String renamed = base + (contentType.equals("image/png") ? ".png" : ".jpg");
        return disposition(new Image(image.id(), image.userId(), renamed, image.collisionKey(), contentType,
                image.sizeBytes(), image.sha256(), image.width(), image.height(), image.orientation(), image.takenAt(),
                image.version(), image.createdAt(), image.updatedAt(), image.objectName()), false);
    }

    /**
     * RFC 9110 IMF-fixdate ({@code Tue, 01 Dec 2026 22:03:37 GMT}): the format senders must use. Java's
     * {@code RFC_1123_DATE_TIME} writes a one-digit day ({@code Tue, 1 Dec 2026}), which strict caches refuse.
     */
    static String httpDate(Instant instant) {
        return IMF_FIXDATE.format(instant.truncatedTo(ChronoUnit.SECONDS).atZone(ZoneOffset.UTC));
    }

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH);

    /** Whether {@code If-Modified-Since} is at or after the last modification (second precision). */
    static boolean notModifiedSince(String ifModifiedSince, Instant lastModified) {
        if (ifModifiedSince == null) {
            return false;
        }
        Instant since = ConditionalHeaders.parseHttpDate(ifModifiedSince);
        // A date later than now is invalid (RFC 7232 §3.3): a client with a fast clock would otherwise be told "not
        // modified" about every change until its clock's date came round.
        return since != null && !since.isAfter(Instant.now())
                && !lastModified.truncatedTo(ChronoUnit.SECONDS).isAfter(since);
    }

    /** {@code If-Range}: serve the range only when the validator still names this representation. */
    static boolean rangeStillValid(String ifRange, String etag, Instant lastModified) {
        if (ifRange == null) {
            return true;
        }
        String v = ifRange.trim();
        if (v.startsWith("\"")) {
            return v.equals(etag);
        }
        return notModifiedSince(v, lastModified);
    }
}
