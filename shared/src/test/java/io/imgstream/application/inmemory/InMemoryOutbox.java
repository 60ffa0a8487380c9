package io.imgstream.application.inmemory;

import io.imgstream.application.port.Outbox;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The transactional outbox as a list: rows in the order written, each with its sent mark and its failures. */
public final class InMemoryOutbox implements Outbox {

    /** One row of {@code event_outbox}; row {@code n} has the event id {@code n}. */
    public record Row(Outbox.Event event, boolean published, int attempts, String lastError) {
    }

    private final List<Row> rows = new ArrayList<>();

    /** What the catalog does in a change's transaction: a new row, and the event as stored. */
    synchronized Outbox.Event append(UUID eventId, String type, String payloadJson) {
        Outbox.Event event = new Outbox.Event(rows.size() + 1, eventId, type, payloadJson);
        rows.add(new Row(event, false, 0, null));
        return event;
    }

    @Override
    public synchronized List<Outbox.Event> unsent(int limit) {
        return rows.stream().filter(r -> !r.published()).limit(limit).map(Row::event).toList();
    }

    @Override
    public synchronized void markPublished(long id) {
        Row row = rows.get((int) id - 1);
        if (!row.published()) { // as the UPDATE's "and published_at is null"
            rows.set((int) id - 1, new Row(row.event(), true, row.attempts() + 1, null));
        }
    }

    @Override
    public synchronized void recordFailure(long id, String error) {
        Row row = rows.get((int) id - 1);
        rows.set((int) id - 1, new Row(row.event(), row.published(), row.attempts() + 1, error));
    }

    public synchronized List<Row> rows() {
        return List.copyOf(rows);
    }

    public synchronized long unsentCount() {
        return rows.stream().filter(r -> !r.published()).count();
    }
}
