package io.imgstream.application.port;

import java.util.List;

/** The unsent events of the transactional outbox. */
public interface Outbox {

    List<EventPublisher.OutboxEvent> unsent(int limit);

    void markPublished(long id);

    void recordFailure(long id, String error);
}
