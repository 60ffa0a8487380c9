package io.imgstream.adapter.jdbc;

import io.imgstream.domain.ConflictPolicy;
import io.imgstream.domain.ResumableUpload;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.DataType;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** {@code resumable_uploads}: one row per tus upload. Every read filters on the owner and the expiry. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface ResumableUploadRepository extends GenericRepository<ResumableUploadRepository.Row, UUID> {

    @MappedEntity("resumable_uploads")
    record Row(@Id UUID id, UUID userId, String filename, String collisionKey, String policy, long length,
               long received, @TypeDef(type = DataType.STRING_ARRAY) String[] partNames, String state,
               @Nullable UUID imageId, @Nullable String problemCode, @Nullable String problemDetail,
               @Nullable UUID leaseToken, @Nullable Instant leaseUntil, @Nullable Instant createdAt,
               @Nullable Instant updatedAt, Instant expiresAt) {

        ResumableUpload toUpload() {
            return new ResumableUpload(id, userId, filename, collisionKey, ConflictPolicy.valueOf(policy), length,
                    received, partNames == null ? List.of() : Arrays.asList(partNames),
                    ResumableUpload.State.valueOf(state), imageId, problemCode, problemDetail, expiresAt);
        }
    }

    /** An expired reservation of the name no longer holds it (the partial unique index cannot see time). */
    @Query("""
            update resumable_uploads set state = 'FAILED', problem_code = 'expired', updated_at = clock_timestamp()
            where user_id = :userId and collision_key = :collisionKey and state = 'UPLOADING'
              and expires_at <= clock_timestamp()""")
    int expireReservations(UUID userId, String collisionKey);

    @Query("""
            insert into resumable_uploads (id, user_id, filename, collision_key, policy, length, expires_at)
            values (:id, :userId, :filename, :collisionKey, :policy, :length, :expiresAt)""")
    void insert(UUID id, UUID userId, String filename, String collisionKey, String policy, long length,
                Instant expiresAt);

    @Query("select * from resumable_uploads where id = :id and user_id = :userId and expires_at > clock_timestamp()")
    Optional<Row> find(UUID userId, UUID id);

    @Query("""
            update resumable_uploads set lease_token = :token,
                lease_until = clock_timestamp() + make_interval(secs => :leaseSeconds)
            where id = :id and user_id = :userId and state = 'UPLOADING' and expires_at > clock_timestamp()
              and (lease_until is null or lease_until < clock_timestamp())
            returning *""")
    @Nullable
    Row lease(UUID userId, UUID id, UUID token, double leaseSeconds);

    @Query("""
            update resumable_uploads set received = :received, part_names = array_append(part_names, :partName),
                lease_token = null, lease_until = null, updated_at = clock_timestamp()
            where id = :id and lease_token = :token""")
    int advance(UUID id, UUID token, long received, String partName);

    @Query("update resumable_uploads set lease_token = null, lease_until = null where id = :id and lease_token = :token")
    int release(UUID id, UUID token);

    @Query("""
            update resumable_uploads set received = :received, state = :state, image_id = :imageId,
                problem_code = :problemCode, problem_detail = :problemDetail, part_names = '{}',
                lease_token = null, lease_until = null, updated_at = clock_timestamp()
            where id = :id and lease_token = :token""")
    int finish(UUID id, UUID token, long received, String state, @Nullable UUID imageId, @Nullable String problemCode,
               @Nullable String problemDetail);

    @Query("delete from resumable_uploads where id = :id and user_id = :userId and expires_at > clock_timestamp()")
    int delete(UUID userId, UUID id);

    @Query("select * from resumable_uploads where expires_at <= clock_timestamp() order by expires_at limit :limit")
    List<Row> expired(int limit);

    @Query("delete from resumable_uploads where id = any(:ids::uuid[])")
    int forget(String[] ids);
}
