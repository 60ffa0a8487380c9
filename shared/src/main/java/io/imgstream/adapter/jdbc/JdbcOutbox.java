package io.imgstream.adapter.jdbc;

import io.imgstream.application.port.EventPublisher;
import io.imgstream.application.port.Outbox;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

@Singleton
class JdbcOutbox implements Outbox {

    private final DataSource dataSource;

    JdbcOutbox(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public List<EventPublisher.OutboxEvent> unsent(int limit) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select id, event_id, event_type, payload::text from event_outbox where published_at is null order by id limit ?")) {
            ps.setInt(1, limit);
            List<EventPublisher.OutboxEvent> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new EventPublisher.OutboxEvent(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3),
                            rs.getString(4)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    @Override
    public java.util.Optional<EventPublisher.OutboxEvent> unsent(UUID eventId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select id, event_id, event_type, payload::text from event_outbox where event_id = ? and published_at is null")) {
            ps.setObject(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? java.util.Optional.of(new EventPublisher.OutboxEvent(rs.getLong(1),
                        rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4))) : java.util.Optional.empty();
            }
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    @Override
    public void markPublished(long id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "update event_outbox set published_at = now(), attempts = attempts + 1, last_error = null where id = ? and published_at is null")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    @Override
    public void recordFailure(long id, String error) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "update event_outbox set attempts = attempts + 1, last_error = left(?, 500) where id = ?")) {
            ps.setString(1, error);
            ps.setLong(2, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }
}
