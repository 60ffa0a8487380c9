package io.imgstream.application.port;

import java.util.UUID;

/**
 * An event as the transactional outbox holds it: its row ({@code id}), its own id (consumers dedupe on
 * {@code eventId}), its type and its JSON payload. A change's write returns the event it wrote
 * ({@link ImageCatalog.Change}); the relay reads the unsent ones ({@link Outbox#unsent}); both publish it as it is.
 */
public record OutboxEvent(long id, UUID eventId, String type, String payloadJson) {
}
