package io.imgstream.adapter.jdbc;

import io.imgstream.domain.Image;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code images}, every column; what derived queries and {@code returning *} read. */
@MappedEntity("images")
record ImageRow(@Id UUID id, UUID userId, String filename, String collisionKey, String status, int version,
                long sizeBytes, byte[] sha256, String contentType, @Nullable Integer width, @Nullable Integer height,
                @Nullable Integer orientation,
                @Nullable Instant takenAt, Instant createdAt, Instant updatedAt, String objectName,
                @Nullable Instant deletedAt) {

    static final String LIVE = "LIVE";

    Image toImage() {
        return new Image(id, userId, filename, collisionKey, contentType, sizeBytes, sha256, width, height, orientation, takenAt, version,
                createdAt, updatedAt, objectName);
    }
}
