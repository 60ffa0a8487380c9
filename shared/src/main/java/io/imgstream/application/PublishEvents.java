package io.imgstream.application;

import io.imgstream.application.port.EventPublisher;
import io.imgstream.application.port.Outbox;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one publish path of outbox events: right after a change committed ({@link #afterCommit}, with the event the
 * change wrote, so the outbox is not read again) and from cleanup's relay ({@link #publish}, with the unsent ones).
 * At least once: an event is marked sent only after Pub/Sub acknowledged it; consumers dedupe on {@code eventId}.
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

    /**
     * Publishes the event a change just committed. It never fails the request: without a topic, or with Pub/Sub or
     * the database down, the event stays in the outbox and cleanup's relay publishes it later.
     */
    public void afterCommit(Outbox.Event event) {
        if (publisher == null) {
            // Only without EVENTS_TOPIC, i.e. locally (Terraform always sets one): say where the event went.
            LOG.info("Event {} stays in the outbox: no EVENTS_TOPIC is set (cleanup's relay publishes it once one is)",
                    event.eventId());
            return;
        }
        try {
            publish(event);
        } catch (NotPublished | RuntimeException e) {
            LOG.warn("Event {} stays in the outbox for the relay: {}", event.eventId(),
                    e instanceof NotPublished ? e.getMessage() : e.toString());
        }
    }

    /** False without {@code EVENTS_TOPIC}: then events stay in the outbox and {@link #publish} has nowhere to send. */
    public boolean hasTopic() {
        return publisher != null;
    }

    /**
     * Publishes one event of the outbox and marks it sent.
     *
     * @throws NotPublished when there is no topic or Pub/Sub did not take it: the event stays unsent, with the failure
     *                      recorded on its row
     * @throws RuntimeException when the outbox itself could not be written (the event stays unsent)
     */
    public void publish(Outbox.Event event) throws NotPublished {
        if (publisher == null) {
            throw new NotPublished("no EVENTS_TOPIC is set");
        }
        try {
            publisher.publish(event);
        } catch (RuntimeException e) {
            outbox.recordFailure(event.id(), e.toString());
            throw new NotPublished(e.toString());
        }
        outbox.markPublished(event.id());
    }

    /** Pub/Sub did not take an event; the message is the publisher's error. */
    public static final class NotPublished extends Exception {
        NotPublished(String error) {
            super(error, null, false, false);
        }
    }
}
