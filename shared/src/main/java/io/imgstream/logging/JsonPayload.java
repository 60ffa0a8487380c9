package io.imgstream.logging;

/**
 * A log argument that {@link CloudLoggingLayout} also writes as a field of the entry's JSON payload, so Cloud Logging can
 * filter on it and log-based metrics can count it ({@code jsonPayload.cleanup.counts.orphan_objects > 0}); elsewhere it
 * prints as its JSON.
 *
 * @param field the payload member it becomes
 * @param json  a JSON object, already rendered
 */
public record JsonPayload(String field, String json) {

    @Override
    public String toString() {
        return json;
    }
}
