package io.imgstream.adapter.jdbc;

import io.imgstream.application.port.EventPublisher;
import io.imgstream.application.port.Outbox;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

@Singleton
class JdbcOutbox implements Outbox {

    private final OutboxRepository outbox;

    JdbcOutbox(OutboxRepository outbox) {
        this.outbox = outbox;
    }

    @Override
    public List<EventPublisher.OutboxEvent> unsent(int limit) {
        return Sql.call(() -> outbox.unsent(limit).stream().map(JdbcOutbox::event).toList());
    }

    @Override
    public Optional<EventPublisher.OutboxEvent> unsent(UUID eventId) {
        return Sql.call(() -> outbox.unsentByEventId(eventId).map(JdbcOutbox::event));
    }

    @Override
    public void markPublished(long id) {
        Sql.run(() -> outbox.markPublished(id));
    }

    @Override
    public void recordFailure(long id, String error) {
        Sql.run(() -> outbox.recordFailure(id, error));
    }

    private static EventPublisher.OutboxEvent event(OutboxRepository.OutboxRow row) {
        return new EventPublisher.OutboxEvent(row.id(), row.eventId(), row.eventType(), row.payload());
    }
}
