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
                    byte[] sha256, Integer width, Integer height, Instant takenAt, int version, Instant createdAt,
                    Instant updatedAt, String objectName) {

    public String sha256Hex() {
        return HexFormat.of().formatHex(sha256);
    }

    /** Strong validator of this version's bytes: the content hash plus the version. */
    public String etag() {
        return "\"" + sha256Hex() + "-" + version + "\"";
    }
}
