package io.imgstream.adapter.jdbc;

import io.imgstream.application.port.Outbox;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;
import java.util.UUID;

/** The transactional outbox, {@code event_outbox}. Payloads are JSON text here; PostgreSQL keeps them as jsonb. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface OutboxRepository extends GenericRepository<OutboxRepository.OutboxRow, Long> {

    /** What the relay reads of an unsent event, and what a change's write returns of the event it wrote. */
    @MappedEntity("event_outbox")
    record OutboxRow(@Id long id, UUID eventId, String eventType, String payload) {
        Outbox.Event toEvent() {
            return new Outbox.Event(id, eventId, eventType, payload);
        }
    }

    @Query("""
            insert into event_outbox (event_id, event_type, user_id, image_id, payload)
            values (:eventId, :eventType, :userId, :imageId, :payload::jsonb)
            returning id, event_id, event_type, payload::text as payload""")
    OutboxRow append(UUID eventId, String eventType, UUID userId, UUID imageId, String payload);

    @Query("select id, event_id, event_type, payload::text as payload from event_outbox where published_at is null"
            + " order by id limit :limit")
    List<OutboxRow> unsent(int limit);

    @Query("update event_outbox set published_at = now(), attempts = attempts + 1, last_error = null"
            + " where id = :id and published_at is null")
    void markPublished(long id);

    @Query("update event_outbox set attempts = attempts + 1, last_error = left(:error, 500) where id = :id")
    void recordFailure(long id, String error);
}
