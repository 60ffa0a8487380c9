package io.imgstream.adapter.jdbc;

import io.imgstream.application.port.UserAccounts;
import io.imgstream.domain.ApiKey;
import io.imgstream.domain.ApiKeyInfo;
import io.imgstream.domain.Caller;
import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.ImgStreamException;
import io.imgstream.domain.User;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Users and API keys in PostgreSQL. */
@Singleton
class JdbcUserAccounts implements UserAccounts {

    private final DataSource dataSource;

    JdbcUserAccounts(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public User createUser(String name) {
        UUID id = UUID.randomUUID();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "insert into users (id, name) values (?, ?) returning created_at")) {
            ps.setObject(1, id);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new User(id, name, true, rs.getTimestamp(1).toInstant());
            }
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new ImgStreamException(ErrorCode.FILENAME_CONFLICT, "A user named '" + name + "' exists.");
            }
            if ("23514".equals(e.getSQLState())) {
                throw new ImgStreamException(ErrorCode.INVALID_PARAMETER,
                        "A user name is 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit.");
            }
            throw new DatabaseException(e);
        }
    }

    @Override
    public Optional<User> findUser(String name) {
        return queryUsers("select id, name, status, created_at from users where lower(name) = lower(?)", name)
                .stream().findFirst();
    }

    @Override
    public List<User> listUsers() {
        return queryUsers("select id, name, status, created_at from users order by lower(name)", null);
    }

    private List<User> queryUsers(String sql, String parameter) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (parameter != null) {
                ps.setString(1, parameter);
            }
            List<User> users = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    users.add(new User(rs.getObject(1, UUID.class), rs.getString(2), "ACTIVE".equals(rs.getString(3)),
                            rs.getTimestamp(4).toInstant()));
                }
            }
            return users;
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    @Override
    public boolean setActive(UUID userId, boolean active) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update users set status = ? where id = ?")) {
            ps.setString(1, active ? "ACTIVE" : "DISABLED");
            ps.setObject(2, userId);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    @Override
    public ApiKeyInfo addKey(UUID userId, byte[] keyHash, String hint, String label) {
        UUID id = UUID.randomUUID();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "insert into api_keys (id, user_id, key_hash, key_hint, label) values (?, ?, ?, ?, ?) returning created_at")) {
            ps.setObject(1, id);
            ps.setObject(2, userId);
            ps.setBytes(3, keyHash);
            ps.setString(4, hint);
            ps.setString(5, label);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new ApiKeyInfo(id, userId, hint, label, rs.getTimestamp(1).toInstant(), null);
            }
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    @Override
    public List<ApiKeyInfo> listKeys(UUID userId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select id, user_id, key_hint, label, created_at, revoked_at from api_keys where user_id = ? order by created_at, id")) {
            ps.setObject(1, userId);
            List<ApiKeyInfo> keys = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp revoked = rs.getTimestamp(6);
                    keys.add(new ApiKeyInfo(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                            rs.getString(4), rs.getTimestamp(5).toInstant(), revoked == null ? null : revoked.toInstant()));
                }
            }
            return keys;
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    @Override
    public boolean revokeKey(UUID userId, UUID keyId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "update api_keys set revoked_at = now() where id = ? and user_id = ? and revoked_at is null")) {
            ps.setObject(1, keyId);
            ps.setObject(2, userId);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    @Override
    public Optional<Caller> findCallerByKeyHash(byte[] keyHash) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select k.id, k.user_id, k.key_hash from api_keys k join users u on u.id = k.user_id
                     where k.key_hash = ? and k.revoked_at is null and u.status = 'ACTIVE'""")) {
            ps.setBytes(1, keyHash);
            try (ResultSet rs = ps.executeQuery()) {
                // The index finds the row; the comparison below is the constant-time check of the hash itself.
                if (rs.next() && ApiKey.hashesMatch(rs.getBytes(3), keyHash)) {
                    return Optional.of(new Caller(rs.getObject(2, UUID.class), rs.getObject(1, UUID.class)));
                }
                return Optional.empty();
            }
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    @Override
    public void deleteEverything() {
        try (Connection c = dataSource.getConnection(); var st = c.createStatement()) {
            st.execute("""
                    truncate table event_outbox, collision_events, retired_objects, pending_uploads, images,
                    api_keys, users restart identity""");
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }
}
