package io.imgstream.application.inmemory;

import io.imgstream.application.port.EventPublisher;
import io.imgstream.application.port.Outbox;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A topic that keeps what it is sent, or, while {@link #down}, refuses as an unreachable Pub/Sub does. */
public final class InMemoryEventPublisher implements EventPublisher {

    private final List<Outbox.Event> published = new CopyOnWriteArrayList<>();
    private volatile boolean down;

    @Override
    public void publish(Outbox.Event event) {
        if (down) {
            throw new IllegalStateException("UNAVAILABLE: Pub/Sub is down");
        }
        published.add(event);
    }

    public void down(boolean down) {
        this.down = down;
    }

    public List<Outbox.Event> published() {
        return List.copyOf(published);
    }
}
