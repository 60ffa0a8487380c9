package io.imgstream.application.cleanup;

import io.imgstream.json.StrictJson;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The JSON data of a cleanup Pub/Sub message: {@code {"tasks":[…], "dryRun":false, "maxItems":10000}}, every
 * member optional (absent or {@code null}: the default).
 *
 * <p>Read strictly, because the default of every member is the destructive choice: a run that was meant to be a dry
 * run must not purge for real because {@code dryRun} was spelt {@code "dryrun"}, or given as {@code "yes"} (which a
 * lenient binder reads as {@code false}). An unknown member or a value of the wrong type refuses the message.
 *
 * <p>Decoded here from what Pub/Sub delivers (base64 data → one unambiguous JSON value → request), for the cleanup
 * function and every other reader alike. A message that cannot be read would fail the same way on every redelivery,
 * so it is acknowledged and logged ({@link #read}), never retried forever.
 */
public final class CleanupMessage {

    private static final Logger LOG = LoggerFactory.getLogger(CleanupMessage.class);

    private static final Set<String> MEMBERS = Set.of("tasks", "dryRun", "maxItems");
    private static final String SHAPE = "{\"tasks\":[…],\"dryRun\":false,\"maxItems\":10000}";

    private CleanupMessage() {
    }

    /**
     * The request of a delivered message, or empty when it cannot be read (logged: acknowledge it without running).
     *
     * @param eventId the id of the event that carried the message, for the log
     * @param data    the message's {@code data} as Pub/Sub delivers it (base64); null or blank when it has none
     */
    public static Optional<CleanupRequest> read(String eventId, @Nullable String data) {
        try {
            return Optional.of(decode(data));
        } catch (IllegalArgumentException e) {
            return unreadable(eventId, e.getMessage());
        }
    }

    /** An event that carries no message to read, logged as {@link #read} logs a refused one: empty. */
    public static Optional<CleanupRequest> unreadable(String eventId, String why) {
        LOG.warn("Cleanup message {} acknowledged without running: {}", eventId, why);
        return Optional.empty();
    }

    /**
     * Base64 data → request: no data (null, blank, or blank once decoded) is every task.
     *
     * @throws IllegalArgumentException when the data is not base64, not one unambiguous JSON value, or not a message
     */
    public static CleanupRequest decode(@Nullable String data) {
        if (data == null || data.isBlank()) {
            return CleanupRequest.everything();
        }
        byte[] decoded = Base64.getDecoder().decode(data.trim());
        if (new String(decoded, StandardCharsets.UTF_8).isBlank()) {
            return CleanupRequest.everything();
        }
        JsonNode message;
        try {
            message = StrictJson.read(decoded);
        } catch (StrictJson.Malformed e) {
            throw new IllegalArgumentException("message data is not one unambiguous JSON value: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("message data is not JSON");
        }
        return parse(message);
    }

    /** @throws IllegalArgumentException naming the member that is wrong */
    public static CleanupRequest parse(@Nullable JsonNode message) {
        if (message == null || !message.isObject()) {
            throw new IllegalArgumentException("message data must be a JSON object " + SHAPE);
        }
        for (Map.Entry<String, JsonNode> member : message.entries()) {
            if (!MEMBERS.contains(member.getKey())) {
                throw new IllegalArgumentException("unknown member '" + member.getKey()
                        + "' (a message has tasks, dryRun and maxItems only)");
            }
        }
        return new CleanupRequest(tasks(message.get("tasks")), dryRun(message.get("dryRun")),
                maxItems(message.get("maxItems")));
    }

    private static Set<CleanupTask> tasks(@Nullable JsonNode tasks) {
        Set<CleanupTask> parsed = EnumSet.noneOf(CleanupTask.class);
        if (absent(tasks)) {
            return parsed;
        }
        if (!tasks.isArray()) {
            throw new IllegalArgumentException("tasks must be an array of task names");
        }
        int i = 0;
        for (JsonNode task : tasks.values()) {
            if (!task.isString()) {
                throw new IllegalArgumentException("tasks[" + i + "] must be a task name (a string)");
            }
            String name = task.getStringValue();
            parsed.add(CleanupTask.fromWireName(name).orElseThrow(
                    () -> new IllegalArgumentException("unknown task '" + name + "'")));
            i++;
        }
        return parsed;
    }

    private static boolean dryRun(@Nullable JsonNode dryRun) {
        if (absent(dryRun)) {
            return false;
        }
        if (!dryRun.isBoolean()) {
            throw new IllegalArgumentException("dryRun must be true or false");
        }
        return dryRun.getBooleanValue();
    }

    private static int maxItems(@Nullable JsonNode maxItems) {
        if (absent(maxItems)) {
            return CleanupRequest.DEFAULT_MAX_ITEMS;
        }
        Number n = maxItems.isNumber() ? maxItems.getNumberValue() : null;
        boolean whole = n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof BigInteger;
        BigInteger value = whole ? maxItems.getBigIntegerValue() : null;
        if (value == null || value.signum() < 1 || value.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("maxItems must be a whole number from 1 to " + Integer.MAX_VALUE);
        }
        return value.intValue();
    }

    private static boolean absent(@Nullable JsonNode node) {
        return node == null || node.isNull();
    }
}
