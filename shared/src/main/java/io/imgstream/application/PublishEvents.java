package io.imgstream.application;

import io.imgstream.application.port.EventPublisher;
import io.imgstream.application.port.Outbox;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * Publishes an event right after its transaction committed. It never fails the request: without a topic, or
 * with Pub/Sub down, the event stays in the outbox and cleanup's relay publishes it later (at least once;
 * consumers dedupe on {@code eventId}).
 */
@Singleton
public class PublishEvents {

    private static final Logger LOG = LoggerFactory.getLogger(PublishEvents.class);

    private final Outbox outbox;
    private final @Nullable EventPublisher publisher;

    public PublishEvents(Outbox outbox, @Nullable EventPublisher publisher) {
        this.outbox = outbox;
        this.publisher = publisher;
    }

    public void afterCommit(UUID eventId) {
        if (publisher == null) {
            // Only without EVENTS_TOPIC, i.e. locally (Terraform always sets one): say where the event went.
            LOG.info("Event {} stays in the outbox: no EVENTS_TOPIC is set (cleanup's relay publishes it once one is)",
                    eventId);
            return;
        }
        try {
            outbox.unsent(eventId).ifPresent(event -> {
                try {
                    publisher.publish(event);
                    outbox.markPublished(event.id());
                } catch (RuntimeException e) {
                    outbox.recordFailure(event.id(), e.toString());
                    LOG.warn("Event {} stays in the outbox for the relay: {}", eventId, e.toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("Event {} stays in the outbox for the relay: {}", eventId, e.toString());
        }
    }
}
