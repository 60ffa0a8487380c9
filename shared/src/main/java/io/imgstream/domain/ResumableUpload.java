package io.imgstream.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A resumable (tus) upload: the name and policy it will be stored under, its declared length, the bytes received so
 * far (in {@code partNames}, one stored part per acknowledged chunk, in order) and how it ended.
 */
public record ResumableUpload(UUID id, UUID userId, String filename, String collisionKey, ConflictPolicy policy,
                              long length, long received, List<String> partNames, State state, UUID imageId,
                              String problemCode, String problemDetail, Instant expiresAt) {

    public enum State { UPLOADING, COMPLETE, FAILED }

    /** Where its parts live: {@code users/{userId}/uploads/{id}/}; cleanup knows them by this prefix. */
    public String partPrefix() {
        return partPrefix(userId, id);
    }

    public static String partPrefix(UUID userId, UUID id) {
        return "users/" + userId + "/uploads/" + id + "/";
    }
}
