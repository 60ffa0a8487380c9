package io.imgstream.domain;

import java.time.Instant;
import java.util.UUID;

/** An owner of images; disabled users cannot authenticate. */
public record User(UUID id, String name, boolean active, Instant createdAt) {
}
