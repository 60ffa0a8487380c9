package io.imgstream.domain;

import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

/**
 * A stored image's metadata.
 *
 * @param objectName where its bytes are; internal, never shown to clients
 */
public record Image(UUID id, UUID userId, String filename, String collisionKey, String contentType, long sizeBytes,
                    byte[] sha256, Integer width, Integer height, Integer orientation, Instant takenAt, int version,
                    Instant createdAt, Instant updatedAt, String objectName) {

    /** The EXIF orientation, 1 while it has not been read (a row older than the column, see migration V3). */
    public int orientationOrUpright() {
        return orientation == null ? Orientation.UPRIGHT : orientation;
    }

    /** The width as shown upright: the stored height when the orientation turns the image by a quarter. */
    public Integer displayWidth() {
        return Orientation.swapsAxes(orientationOrUpright()) ? height : width;
    }

    public Integer displayHeight() {
        return Orientation.swapsAxes(orientationOrUpright()) ? width : height;
    }

    public String sha256Hex() {
        return HexFormat.of().formatHex(sha256);
    }

    /** Strong validator of this version's bytes: the content hash plus the version. */
    public String etag() {
        return "\"" + sha256Hex() + "-" + version + "\"";
    }

    /**
     * Whether an entity tag a client sends back names this version: the content's ETag, or the metadata's
     * ({@link ImageDetails#etag()}, the same with a suffix), so a client may condition a change on either.
     */
    public boolean isVersionNamedBy(String entityTag) {
        String etag = etag();
        return entityTag.equals(etag) || entityTag.startsWith(etag.substring(0, etag.length() - 1) + "-");
    }
}
