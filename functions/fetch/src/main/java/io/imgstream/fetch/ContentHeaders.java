package io.imgstream.fetch;

import io.imgstream.domain.Image;
import io.imgstream.domain.ImageDetails;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;
import java.util.zip.CRC32C;

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

    /**
     * RFC 9110 IMF-fixdate ({@code Tue, 01 Dec 2026 22:03:37 GMT}): the format senders must use. Java's
     * {@code RFC_1123_DATE_TIME} writes a one-digit day ({@code Tue, 1 Dec 2026}), which strict caches refuse.
     */
    static String httpDate(Instant instant) {
        return IMF_FIXDATE.format(instant.truncatedTo(ChronoUnit.SECONDS).atZone(ZoneOffset.UTC));
    }

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH);

    /**
     * The metadata's ETag: the image's own (content hash and version) while no other image holds the same bytes,
     * else with a digest of the copies' ids appended — an upload or delete of a copy changes {@code sameContentAs},
     * and a revalidating client must then get the new answer, not a 304.
     */
    static String metadataEtag(ImageDetails details) {
        String etag = details.image().etag();
        if (details.sameContentAs().isEmpty()) {
            return etag;
        }
        CRC32C crc = new CRC32C();
        for (UUID id : details.sameContentAs()) {
            crc.update(id.toString().getBytes(StandardCharsets.US_ASCII));
        }
        return etag.substring(0, etag.length() - 1) + "-" + Long.toHexString(crc.getValue()) + "\"";
    }

    /** Whether {@code If-None-Match} names this representation (weak comparison, as RFC 9110 §13.1.2 says). */
    static boolean noneMatchHits(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code If-Modified-Since} is at or after the last modification (second precision). */
    static boolean notModifiedSince(String ifModifiedSince, Instant lastModified) {
        if (ifModifiedSince == null) {
            return false;
        }
        Instant since = parseHttpDate(ifModifiedSince);
        // A date later than now is invalid (RFC 7232 §3.3): a client with a fast clock would otherwise be told "not
        // modified" about every change until its clock's date came round.
        return since != null && !since.isAfter(Instant.now())
                && !lastModified.truncatedTo(ChronoUnit.SECONDS).isAfter(since);
    }

    /**
     * An HTTP date in any of the three formats RFC 9110 §5.6.7 tells recipients to accept (IMF-fixdate, RFC 850,
     * asctime); null when it is none of them, which makes the condition false (the full answer is sent).
     */
    static Instant parseHttpDate(String value) {
        String v = value.trim();
        for (DateTimeFormatter format : ACCEPTED_DATES) {
            try {
                return ZonedDateTime.parse(v, format).toInstant();
            } catch (DateTimeParseException e) {
                // try the next format
            }
        }
        return null;
    }

    private static final DateTimeFormatter[] ACCEPTED_DATES = {
            DateTimeFormatter.RFC_1123_DATE_TIME,
            new DateTimeFormatterBuilder().appendPattern("EEEE, dd-MMM-").appendValueReduced(ChronoField.YEAR, 2, 2, 1970)
                    .appendPattern(" HH:mm:ss 'GMT'").toFormatter(Locale.ENGLISH).withZone(ZoneOffset.UTC),
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC)};

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
