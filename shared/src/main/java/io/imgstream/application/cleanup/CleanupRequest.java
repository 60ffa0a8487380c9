package io.imgstream.application.cleanup;

import java.util.EnumSet;
import java.util.Set;

/**
 * What one cleanup run should do.
 *
 * @param tasks    the tasks, in their declared order; all of them when the message named none
 * @param dryRun   count what would be done, change nothing
 * @param maxItems the most items one run deletes or relays, over all tasks
 */
public record CleanupRequest(Set<CleanupTask> tasks, boolean dryRun, int maxItems) {

    public static final int DEFAULT_MAX_ITEMS = 10_000;

    public CleanupRequest {
        tasks = tasks == null || tasks.isEmpty() ? EnumSet.allOf(CleanupTask.class) : EnumSet.copyOf(tasks);
        if (maxItems < 1) {
            throw new IllegalArgumentException("maxItems must be positive");
        }
    }

    public static CleanupRequest everything() {
        return new CleanupRequest(Set.of(), false, DEFAULT_MAX_ITEMS);
    }
}
