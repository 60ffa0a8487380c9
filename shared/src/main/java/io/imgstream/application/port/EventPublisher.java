package io.imgstream.application.port;

/** Publishes image events to the events topic. */
public interface EventPublisher {

    /**
     * Publishes one event and waits for the broker's acknowledgement.
     *
     * @throws RuntimeException when the event could not be published; it stays in the outbox
     */
    void publish(Outbox.Event event);
}
