package io.imgstream.application.port;

import io.imgstream.domain.ResumableUpload;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The state of resumable uploads, kept in PostgreSQL so that any instance can take the next chunk. */
public interface ResumableUploadStore {

    /**
     * Records a new upload. Under {@code reject} the database holds its name: a second unfinished upload of that name
     * (any instance, any moment) is refused with 409 {@code filename_conflict}; an expired one no longer holds it.
     */
    ResumableUpload create(ResumableUpload upload);

    /** This user's upload, unless it expired. */
    Optional<ResumableUpload> find(UUID userId, UUID id);

    /**
     * Takes the one writer's lease of an unfinished upload for {@code lease}: empty when it is not this user's, has
     * expired or finished, or another writer holds an unexpired lease.
     */
    Optional<ResumableUpload> lease(UUID userId, UUID id, UUID token, Duration lease);

    /** Records an acknowledged chunk and frees the lease; false when the lease was lost (the chunk is then not counted). */
    boolean advance(UUID id, UUID token, long received, String partName);

    /** Frees the lease without a change. */
    void release(UUID id, UUID token);

    /** Records how the upload ended (all bytes received, or refused) and frees the lease; false when the lease was lost. */
    boolean finish(UUID id, UUID token, long received, ResumableUpload.State state, UUID imageId, String problemCode,
                   String problemDetail);

    /** Forgets this user's upload (termination); false when there is none. */
    boolean delete(UUID userId, UUID id);

    /** Uploads past their expiry (finished or not), oldest first: their parts and rows are cleanup's. */
    List<ResumableUpload> expired(int limit);

    /** Forgets these uploads in one statement. @return rows removed */
    int forget(Collection<UUID> ids);
}
