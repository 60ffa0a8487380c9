package io.imgstream.application.port;

import java.util.List;

/** The unsent events of the transactional outbox; a change writes its event with the change ({@link ImageCatalog}). */
public interface Outbox {

    /** The oldest unsent events, in the order they were written. */
    List<OutboxEvent> unsent(int limit);

    void markPublished(long id);

    void recordFailure(long id, String error);
}
