package io.imgstream.application.port;

import io.imgstream.domain.ApiKeyInfo;
import io.imgstream.domain.Caller;
import io.imgstream.domain.User;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The store of users and their API key hashes. */
public interface UserAccounts {

    User createUser(String name);

    Optional<User> findUser(String name);

    List<User> listUsers();

    /** @return whether the user existed */
    boolean setActive(UUID userId, boolean active);

    ApiKeyInfo addKey(UUID userId, byte[] keyHash, String hint, String label);

    List<ApiKeyInfo> listKeys(UUID userId);

    /** @return whether an unrevoked key of this user was revoked now */
    boolean revokeKey(UUID userId, UUID keyId);

    /**
     * The caller owning an unrevoked key of an active user with this hash, if any.
     *
     */
    Optional<Caller> findCallerByKeyHash(byte[] keyHash);

    /** Deletes every row of every table; only for {@code db reset} in development. */
    void deleteEverything();
}
