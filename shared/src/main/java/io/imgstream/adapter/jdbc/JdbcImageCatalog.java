package io.imgstream.adapter.jdbc;

import io.imgstream.application.port.ImageCatalog;
import io.imgstream.application.port.ImageEvents;
import io.imgstream.domain.Image;
import io.imgstream.domain.ImageDetails;
import io.imgstream.domain.Precondition;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

@Singleton
class JdbcImageCatalog implements ImageCatalog {

    static final String COLUMNS = "id, user_id, filename, collision_key, content_type, size_bytes, sha256, width, height,"
            + " taken_at, version, created_at, updated_at, object_name";
    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource dataSource;

    JdbcImageCatalog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    static Image read(ResultSet rs) throws SQLException {
        Timestamp taken = rs.getTimestamp("taken_at");
        return new Image(rs.getObject("id", UUID.class), rs.getObject("user_id", UUID.class), rs.getString("filename"),
                rs.getString("collision_key"), rs.getString("content_type"), rs.getLong("size_bytes"),
                rs.getBytes("sha256"), (Integer) rs.getObject("width"), (Integer) rs.getObject("height"),
                taken == null ? null : taken.toInstant(), rs.getInt("version"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(), rs.getString("object_name"));
    }

    /**
     * The ids of the row's copies — the user's other live images with the same sha256, oldest first — as one more
     * column, {@code same_content}: a correlated probe of {@code images_sha256_idx} per row, no second round trip.
     * The plain {@code find…} reads stay without it: upload's hot path does not show the copies.
     */
    private static final String WITH_COPIES = COLUMNS + ", array(select o.id from images o where o.user_id = images.user_id"
            + " and o.status = 'LIVE' and o.sha256 = images.sha256 and o.id <> images.id order by o.created_at, o.id limit "
            + ImageDetails.MAX_SAME_CONTENT + ") as same_content";

    private static ImageDetails readDetails(ResultSet rs) throws SQLException {
        return new ImageDetails(read(rs), List.of((UUID[]) rs.getArray("same_content").getArray()));
    }

    @Override
    public Optional<ImageDetails> describeLiveByKey(UUID userId, String collisionKey) {
        return liveBy("collision_key", collisionKey, userId, WITH_COPIES, JdbcImageCatalog::readDetails);
    }

    @Override
    public Optional<ImageDetails> describeLiveById(UUID userId, UUID imageId) {
        return liveBy("id", imageId, userId, WITH_COPIES, JdbcImageCatalog::readDetails);
    }

    @Override
    public Optional<Image> findLiveByKey(UUID userId, String collisionKey) {
        return liveBy("collision_key", collisionKey, userId, COLUMNS, JdbcImageCatalog::read);
    }

    @Override
    public Optional<Image> findLiveById(UUID userId, UUID imageId) {
        return liveBy("id", imageId, userId, COLUMNS, JdbcImageCatalog::read);
    }

    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** This user's live image whose {@code column} (id or collision_key, both unique among live rows) is {@code value}. */
    private <T> Optional<T> liveBy(String column, Object value, UUID userId, String columns, RowReader<T> reader) {
        String sql = "select " + columns + " from images where user_id = ? and " + column + " = ? and status = 'LIVE'";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, userId);
            ps.setObject(2, value);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(reader.read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    @Override
    public void recordPending(String objectName, UUID userId, UUID imageId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "insert into pending_uploads (object_name, user_id, image_id) values (?, ?, ?)")) {
            ps.setString(1, objectName);
            ps.setObject(2, userId);
            ps.setObject(3, imageId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    @Override
    public void forgetPending(String objectName) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from pending_uploads where object_name = ?")) {
            ps.setString(1, objectName);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    @Override
    public Optional<Image> insertLive(Image image, OutboxEntry event) {
        try {
            return Optional.of(Transactions.inTransaction(dataSource, c -> {
                Image inserted;
                try (PreparedStatement ps = c.prepareStatement("""
                        insert into images (id, user_id, filename, collision_key, status, version, size_bytes, sha256,
                            content_type, width, height, taken_at, object_name)
                        values (?, ?, ?, ?, 'LIVE', 1, ?, ?, ?, ?, ?, ?, ?) returning\s""" + COLUMNS)) {
                    ps.setObject(1, image.id());
                    ps.setObject(2, image.userId());
                    ps.setString(3, image.filename());
                    ps.setString(4, image.collisionKey());
                    ps.setLong(5, image.sizeBytes());
                    ps.setBytes(6, image.sha256());
                    ps.setString(7, image.contentType());
                    setInt(ps, 8, image.width());
                    setInt(ps, 9, image.height());
                    setInstant(ps, 10, image.takenAt());
                    ps.setString(11, image.objectName());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        inserted = read(rs);
                    }
                }
                forgetPending(c, image.objectName());
                writeEvent(c, inserted, event);
                return inserted;
            }));
        } catch (DatabaseException e) {
            if (e.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public Optional<Image> replace(UUID userId, UUID imageId, Precondition precondition, NewContent content,
                                   OutboxEntry event) {
        return Transactions.inTransaction(dataSource, c -> {
            Optional<Image> current = lockLive(c, userId, imageId);
            if (current.isEmpty() || !precondition.allowsChangeOf(current.get())) {
                return Optional.<Image>empty();
            }
            String oldObject = current.get().objectName();
            Image replaced;
            try (PreparedStatement ps = c.prepareStatement("""
                    update images set version = version + 1, size_bytes = ?, sha256 = ?, content_type = ?, width = ?,
                        height = ?, taken_at = ?, object_name = ?, updated_at = clock_timestamp()
                    where id = ? returning\s""" + COLUMNS)) {
                ps.setLong(1, content.sizeBytes());
                ps.setBytes(2, content.sha256());
                ps.setString(3, content.contentType());
                setInt(ps, 4, content.width());
                setInt(ps, 5, content.height());
                setInstant(ps, 6, content.takenAt());
                ps.setString(7, content.objectName());
                ps.setObject(8, imageId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    replaced = read(rs);
                }
            }
            try (PreparedStatement retire = c.prepareStatement(
                    "insert into retired_objects (object_name, image_id) values (?, ?) on conflict do nothing")) {
                retire.setString(1, oldObject);
                retire.setObject(2, imageId);
                retire.executeUpdate();
            }
            forgetPending(c, content.objectName());
            writeEvent(c, replaced, event);
            return Optional.of(replaced);
        });
    }

    @Override
    public Optional<Image> softDelete(UUID userId, UUID imageId, Precondition precondition, OutboxEntry event) {
        return Transactions.inTransaction(dataSource, c -> {
            Optional<Image> current = lockLive(c, userId, imageId);
            if (current.isEmpty() || !precondition.allowsChangeOf(current.get())) {
                return Optional.<Image>empty();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    update images set status = 'DELETED', deleted_at = clock_timestamp(), updated_at = clock_timestamp()
                    where id = ? returning\s""" + COLUMNS)) {
                ps.setObject(1, imageId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    Image deleted = read(rs);
                    writeEvent(c, deleted, event);
                    return Optional.of(deleted);
                }
            }
        });
    }

    /**
     * This user's live image, its row locked until the transaction ends: a change judged against it (a precondition,
     * the object it retires) cannot be overtaken by a concurrent overwrite or delete.
     */
    private static Optional<Image> lockLive(Connection c, UUID userId, UUID imageId) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement(
                "select " + COLUMNS + " from images where id = ? and user_id = ? and status = 'LIVE' for update")) {
            lock.setObject(1, imageId);
            lock.setObject(2, userId);
            try (ResultSet rs = lock.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    @Override
    public List<ImageDetails> listLive(UUID userId, String keyPrefix, String afterKey, UUID afterId, int limit) {
        // Byte order ("C") matches the listing index; the prefix is a range on it, so both use the index.
        String sql = "select " + WITH_COPIES + " from images where user_id = ? and status = 'LIVE'"
                + " and collision_key collate \"C\" >= ? and collision_key collate \"C\" < ?"
                + (afterKey == null ? "" : " and (collision_key collate \"C\", id) > (? collate \"C\", ?)")
                + " order by collision_key collate \"C\", id limit ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setObject(i++, userId);
            ps.setString(i++, keyPrefix);
            ps.setString(i++, keyPrefix + "\uDBFF\uDFFF");
            if (afterKey != null) {
                ps.setString(i++, afterKey);
                ps.setObject(i++, afterId);
            }
            ps.setInt(i, limit);
            List<ImageDetails> page = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    page.add(readDetails(rs));
                }
            }
            return page;
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    @Override
    public List<UUID> idsWithContent(UUID userId, byte[] sha256, UUID excluding) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select id from images where user_id = ? and sha256 = ? and status = 'LIVE' and id <> ? order by created_at, id limit " + ImageDetails.MAX_SAME_CONTENT)) {
            ps.setObject(1, userId);
            ps.setBytes(2, sha256);
            ps.setObject(3, excluding);
            List<UUID> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
            return ids;
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    @Override
    public Set<String> liveKeysAmong(UUID userId, Collection<String> collisionKeys) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select collision_key from images where user_id = ? and status = 'LIVE' and collision_key = any(?)")) {
            ps.setObject(1, userId);
            ps.setArray(2, c.createArrayOf("text", collisionKeys.toArray()));
            Set<String> taken = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    taken.add(rs.getString(1));
                }
            }
            return taken;
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    private static void forgetPending(Connection c, String objectName) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from pending_uploads where object_name = ?")) {
            ps.setString(1, objectName);
            ps.executeUpdate();
        }
    }

    private static void writeEvent(Connection c, Image image, OutboxEntry event) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into event_outbox (event_id, event_type, user_id, image_id, payload) values (?, ?, ?, ?, ?::jsonb)")) {
            ps.setObject(1, event.eventId());
            ps.setString(2, event.type());
            ps.setObject(3, image.userId());
            ps.setObject(4, image.id());
            ps.setString(5, ImageEvents.payload(event, image));
            ps.executeUpdate();
        }
    }

    private static void setInt(PreparedStatement ps, int index, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }

    private static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setTimestamp(index, Timestamp.from(value));
        }
    }
}
