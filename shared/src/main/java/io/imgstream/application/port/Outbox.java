package io.imgstream.application.port;

import java.util.List;
import java.util.UUID;

/** The unsent events of the transactional outbox; a change writes its event with the change ({@link ImageCatalog}). */
public interface Outbox {

    /** The oldest unsent events, in the order they were written. */
    List<Event> unsent(int limit);

    void markPublished(long id);

    void recordFailure(long id, String error);

    /**
     * An event as the outbox holds it: its row ({@code id}), its own id (consumers dedupe on {@code eventId}), its type
     * and its JSON payload. A change's write returns the event it wrote ({@link ImageCatalog.Change}); the relay reads
     * the unsent ones ({@link #unsent}); both publish it as it is ({@link EventPublisher}). The one outbox event type.
     */
    record Event(long id, UUID eventId, String type, String payloadJson) {
    }
}
