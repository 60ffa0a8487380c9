package io.imgstream.adapter.jdbc;

import io.imgstream.application.port.UserAccounts;
import io.imgstream.domain.ApiKey;
import io.imgstream.domain.ApiKeyInfo;
import io.imgstream.domain.Caller;
import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.ImgStreamException;
import io.imgstream.domain.User;
import jakarta.inject.Singleton;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Users and API keys in PostgreSQL. */
@Singleton
class JdbcUserAccounts implements UserAccounts {

    private static final String CHECK_VIOLATION = "23514";

    private final AccountRepository accounts;

    JdbcUserAccounts(AccountRepository accounts) {
        this.accounts = accounts;
    }

    @Override
    public User createUser(String name) {
        try {
            return user(Sql.call(() -> accounts.insertUser(UUID.randomUUID(), name)));
        } catch (DatabaseException e) {
            String state = e.getCause() instanceof SQLException sql ? sql.getSQLState() : null;
            if (Sql.UNIQUE_VIOLATION.equals(state)) {
                throw new ImgStreamException(ErrorCode.FILENAME_CONFLICT, "A user named '" + name + "' exists.");
            }
            if (CHECK_VIOLATION.equals(state)) {
                throw new ImgStreamException(ErrorCode.INVALID_PARAMETER,
                        "A user name is 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit.");
            }
            throw e;
        }
    }

    @Override
    public Optional<User> findUser(String name) {
        return Sql.call(() -> accounts.findUserByName(name).map(JdbcUserAccounts::user));
    }

    @Override
    public List<User> listUsers() {
        return Sql.call(() -> accounts.listUsers().stream().map(JdbcUserAccounts::user).toList());
    }

    @Override
    public boolean setActive(UUID userId, boolean active) {
        return Sql.call(() -> accounts.updateStatus(userId, active ? "ACTIVE" : "DISABLED") == 1);
    }

    @Override
    public ApiKeyInfo addKey(UUID userId, byte[] keyHash, String hint, String label) {
        return key(Sql.call(() -> accounts.insertKey(UUID.randomUUID(), userId, keyHash, hint, label)));
    }

    @Override
    public List<ApiKeyInfo> listKeys(UUID userId) {
        return Sql.call(() -> accounts.listKeys(userId).stream().map(JdbcUserAccounts::key).toList());
    }

    @Override
    public boolean revokeKey(UUID userId, UUID keyId) {
        return Sql.call(() -> accounts.revokeKey(keyId, userId) == 1);
    }

    @Override
    public Optional<Caller> findCallerByKeyHash(byte[] keyHash) {
        // The index finds the row; the comparison below is the constant-time check of the hash itself.
        return Sql.call(() -> accounts.findActiveKey(keyHash))
                .filter(k -> ApiKey.hashesMatch(k.keyHash(), keyHash))
                .map(k -> new Caller(k.userId(), k.id()));
    }

    @Override
    public void deleteEverything() {
        Sql.run(accounts::truncateEverything);
    }

    private static User user(AccountRepository.UserRow row) {
        return new User(row.id(), row.name(), "ACTIVE".equals(row.status()), row.createdAt());
    }

    private static ApiKeyInfo key(AccountRepository.KeyRow row) {
        return new ApiKeyInfo(row.id(), row.userId(), row.keyHint(), row.label(), row.createdAt(), row.revokedAt());
    }
}
