package io.imgstream.adapter.jdbc;

import io.imgstream.domain.Image;
import io.imgstream.domain.ImageDetails;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One row of the statements that read images with more than their own columns: an image with its copies
 * ({@code same_content}: ids of the user's other live images of the same bytes, oldest first), or, in a collision
 * check, either a matched image ({@code part = 'match'}) or a taken key of a copy prefix ({@code part = 'copy'}, only
 * {@code copy_prefix} and {@code collision_key} set).
 */
@Introspected
record ImageMatchRow(String part, @Nullable String copyPrefix, @Nullable UUID id, @Nullable UUID userId,
                     @Nullable String filename, String collisionKey, @Nullable String contentType,
                     @Nullable Long sizeBytes, @Nullable byte[] sha256, @Nullable Integer width, @Nullable Integer height,
                     @Nullable Integer orientation,
                     @Nullable Instant takenAt, @Nullable Integer version, @Nullable Instant createdAt,
                     @Nullable Instant updatedAt, @Nullable String objectName, @Nullable String[] sameContent) {

    boolean isMatch() {
        return "match".equals(part);
    }

    Image toImage() {
        return new Image(id, userId, filename, collisionKey, contentType, sizeBytes, sha256, width, height, orientation, takenAt, version,
                createdAt, updatedAt, objectName);
    }

    ImageDetails toDetails() {
        List<UUID> copies = new ArrayList<>(sameContent.length);
        for (String copy : sameContent) {
            copies.add(UUID.fromString(copy));
        }
        return new ImageDetails(toImage(), List.copyOf(copies));
    }
}
