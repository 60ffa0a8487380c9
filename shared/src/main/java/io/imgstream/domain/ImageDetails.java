package io.imgstream.domain;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * An image with what every answer about it tells: the ids of this user's other live images holding the same
 * bytes (oldest first, at most {@link #MAX_SAME_CONTENT}). Every place that shows an image shows this list, so
 * an empty one always means "no other copy", never "not looked up".
 */
public record ImageDetails(Image image, List<UUID> sameContentAs) {

    /** A user who uploaded one picture a thousand times does not get a thousand ids on every answer. */
    public static final int MAX_SAME_CONTENT = 100;

    public ImageDetails {
        sameContentAs = List.copyOf(sameContentAs);
    }

    /**
     * The metadata's ETag: the image's own ({@link Image#etag()}) while no other image holds the same bytes, else with
     * a digest of the copies' ids appended — an upload or delete of a copy changes {@code sameContentAs}, and a
     * revalidating client must then get the new answer, not a 304. Either names this version of the image in a
     * precondition ({@link Image#isVersionNamedBy}).
     */
    public String etag() {
        String etag = image.etag();
        if (sameContentAs.isEmpty()) {
            return etag;
        }
        CRC32C crc = new CRC32C();
        for (UUID id : sameContentAs) {
            crc.update(id.toString().getBytes(StandardCharsets.US_ASCII));
        }
        return etag.substring(0, etag.length() - 1) + "-" + Long.toHexString(crc.getValue()) + "\"";
    }
}
