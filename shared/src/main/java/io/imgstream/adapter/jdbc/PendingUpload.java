package io.imgstream.adapter.jdbc;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code pending_uploads}: the write-ahead intent of an upload; {@code created_at} is the database's. */
@MappedEntity("pending_uploads")
record PendingUpload(@Id String objectName, UUID userId, UUID imageId, @Nullable @GeneratedValue Instant createdAt) {
}
