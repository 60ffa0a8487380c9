package io.imgstream.adapter.jdbc;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** {@code users} and their {@code api_keys}. Names compare case-insensitively, as their unique index does. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface AccountRepository extends GenericRepository<AccountRepository.UserRow, UUID> {

    @MappedEntity("users")
    record UserRow(@Id UUID id, String name, String status, @Nullable @GeneratedValue Instant createdAt) {
    }

    @MappedEntity("api_keys")
    record KeyRow(@Id UUID id, UUID userId, String keyHint, @Nullable String label, Instant createdAt,
                  @Nullable Instant revokedAt) {
    }

    /** A key's owner and hash, found by the hash's index; the caller compares the hash in constant time. */
    @Introspected
    record KeyOwner(UUID id, UUID userId, byte[] keyHash) {
    }

    @Query("insert into users (id, name) values (:id, :name) returning *")
    UserRow insertUser(UUID id, String name);

    @Query("select * from users where lower(name) = lower(:name)")
    Optional<UserRow> findUserByName(String name);

    @Query("select * from users order by lower(name)")
    List<UserRow> listUsers();

    @Query("update users set status = :status where id = :id")
    int updateStatus(UUID id, String status);

    @Query("insert into api_keys (id, user_id, key_hash, key_hint, label) values (:id, :userId, :keyHash, :keyHint, :label)"
            + " returning id, user_id, key_hint, label, created_at, revoked_at")
    KeyRow insertKey(UUID id, UUID userId, byte[] keyHash, String keyHint, @Nullable String label);

    @Query("select id, user_id, key_hint, label, created_at, revoked_at from api_keys where user_id = :userId"
            + " order by created_at, id")
    List<KeyRow> listKeys(UUID userId);

    @Query("update api_keys set revoked_at = now() where id = :id and user_id = :userId and revoked_at is null")
    int revokeKey(UUID id, UUID userId);

    @Query("""
            select k.id, k.user_id, k.key_hash from api_keys k join users u on u.id = k.user_id
            where k.key_hash = :keyHash and k.revoked_at is null and u.status = 'ACTIVE'""")
    Optional<KeyOwner> findActiveKey(byte[] keyHash);

    @Query(value = """
            truncate table event_outbox, collision_events, thumbnails, resumable_uploads, retired_objects, pending_uploads, images, api_keys, users
            restart identity""", readOnly = false)
    void truncateEverything();
}
