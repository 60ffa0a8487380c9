package io.imgstream.adapter.pubsub;

import io.imgstream.application.port.EventPublisher;
import io.imgstream.application.port.Outbox;
import io.micronaut.context.annotation.Requires;
import io.micronaut.gcp.pubsub.annotation.PubSubClient;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes outbox events to {@code EVENTS_TOPIC}; absent when no topic is configured (events then stay in
 * the outbox). Locally, {@code PUBSUB_EMULATOR_HOST} points the client at an emulator.
 */
@Singleton
@Requires(classes = PubSubClient.class)
@Requires(property = "imgstream.events-topic", pattern = ".+")
class PubSubEventPublisher implements EventPublisher {

    private final ImageEventsTopic topic;

    PubSubEventPublisher(ImageEventsTopic topic) {
        this.topic = topic;
    }

    /** How long a request waits for the broker; past it the event stays in the outbox for the relay. */
    static final Duration ACK_WAIT = Duration.ofSeconds(2);

    @Override
    public void publish(Outbox.Event event) {
        try {
            topic.publish(event.payloadJson().getBytes(StandardCharsets.UTF_8), event.type(), event.eventId().toString())
                    .get(ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("event " + event.eventId() + " not acknowledged: " + e, e);
        }
    }
}
