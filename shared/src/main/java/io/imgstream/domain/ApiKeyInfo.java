package io.imgstream.domain;

import java.time.Instant;
import java.util.UUID;

/** What may be shown of a stored key: never the key or its hash. */
public record ApiKeyInfo(UUID id, UUID userId, String hint, String label, Instant createdAt, Instant revokedAt) {

    public boolean revoked() {
        return revokedAt != null;
    }
}
