package io.imgstream.adapter.jdbc;

import io.imgstream.application.port.ResumableUploadStore;
import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.ImgStreamException;
import io.imgstream.domain.ResumableUpload;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@Singleton
class JdbcResumableUploadStore implements ResumableUploadStore {

    private final ResumableUploadRepository uploads;
    private final TransactionOperations<Connection> transactions;

    JdbcResumableUploadStore(ResumableUploadRepository uploads, TransactionOperations<Connection> transactions) {
        this.uploads = uploads;
        this.transactions = transactions;
    }

    @Override
    public ResumableUpload create(ResumableUpload u) {
        try {
            Sql.run(() -> transactions.executeWrite(status -> {
                uploads.expireReservations(u.userId(), u.collisionKey());
                uploads.insert(u.id(), u.userId(), u.filename(), u.collisionKey(), u.policy().name(), u.length(),
                        u.expiresAt());
                return null;
            }));
        } catch (RuntimeException e) {
            if (Sql.isUniqueViolation(e)) {
                throw new ImgStreamException(ErrorCode.FILENAME_CONFLICT, "An unfinished upload of '" + u.filename()
                        + "' already holds the name; finish or terminate it, or choose onConflict=overwrite, rename or skip.");
            }
            throw e;
        }
        return u;
    }

    @Override
    public Optional<ResumableUpload> find(UUID userId, UUID id) {
        return Sql.call(() -> uploads.find(userId, id).map(ResumableUploadRepository.Row::toUpload));
    }

    @Override
    public Optional<ResumableUpload> lease(UUID userId, UUID id, UUID token, Duration lease) {
        return Sql.call(() -> Optional.ofNullable(uploads.lease(userId, id, token, lease.toMillis() / 1000.0))
                .map(ResumableUploadRepository.Row::toUpload));
    }

    @Override
    public boolean advance(UUID id, UUID token, long received, String partName) {
        return Sql.call(() -> uploads.advance(id, token, received, partName)) == 1;
    }

    @Override
    public void release(UUID id, UUID token) {
        Sql.run(() -> uploads.release(id, token));
    }

    @Override
    public boolean finish(UUID id, UUID token, long received, ResumableUpload.State state, UUID imageId,
                          String problemCode, String problemDetail) {
        return Sql.call(() -> uploads.finish(id, token, received, state.name(), imageId, problemCode, problemDetail)) == 1;
    }

    @Override
    public boolean delete(UUID userId, UUID id) {
        return Sql.call(() -> uploads.delete(userId, id)) == 1;
    }

    @Override
    public List<ResumableUpload> expired(int limit) {
        return Sql.call(() -> uploads.expired(limit).stream().map(ResumableUploadRepository.Row::toUpload).toList());
    }

    @Override
    public int forget(Collection<UUID> ids) {
        return Sql.call(() -> uploads.forget(ids.stream().map(UUID::toString).toArray(String[]::new)));
    }
}
