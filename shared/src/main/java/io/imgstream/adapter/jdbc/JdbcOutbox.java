package io.imgstream.adapter.jdbc;

import io.imgstream.application.port.Outbox;
import jakarta.inject.Singleton;

import java.util.List;

@Singleton
class JdbcOutbox implements Outbox {

    private final OutboxRepository outbox;

    JdbcOutbox(OutboxRepository outbox) {
        this.outbox = outbox;
    }

    @Override
    public List<Outbox.Event> unsent(int limit) {
        return Sql.call(() -> outbox.unsent(limit).stream().map(OutboxRepository.OutboxRow::toEvent).toList());
    }

    @Override
    public void markPublished(long id) {
        Sql.run(() -> outbox.markPublished(id));
    }

    @Override
    public void recordFailure(long id, String error) {
        Sql.run(() -> outbox.recordFailure(id, error));
    }
}
