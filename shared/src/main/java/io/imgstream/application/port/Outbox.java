package io.imgstream.application.port;

import java.util.List;

/** The unsent events of the transactional outbox. */
public interface Outbox {

    List<EventPublisher.OutboxEvent> unsent(int limit);

    /** The event with this id, if it is still unsent. */
    java.util.Optional<EventPublisher.OutboxEvent> unsent(java.util.UUID eventId);

    void markPublished(long id);

    void recordFailure(long id, String error);
}
