package io.imgstream.application.cleanup;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;

import java.math.BigInteger;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The JSON data of a cleanup Pub/Sub message: {@code {"tasks":[…], "dryRun":false, "maxItems":10000}}, every
 * member optional (absent or {@code null}: the default).
 *
 * <p>Read strictly, because the default of every member is the destructive choice: a run that was meant to be a dry
 * run must not purge for real because {@code dryRun} was spelt {@code "dryrun"}, or given as {@code "yes"} (which a
 * lenient binder reads as {@code false}). An unknown member or a value of the wrong type refuses the message.
 */
public final class CleanupMessage {

    private static final Set<String> MEMBERS = Set.of("tasks", "dryRun", "maxItems");
    private static final String SHAPE = "{\"tasks\":[…],\"dryRun\":false,\"maxItems\":10000}";

    private CleanupMessage() {
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
