package io.imgstream.application.cleanup;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The JSON data of a cleanup Pub/Sub message: {@code {"tasks":[…], "dryRun":false, "maxItems":10000}}, every
 * member optional.
 */
@Serdeable
public record CleanupMessage(@Nullable List<String> tasks, @Nullable Boolean dryRun, @Nullable Integer maxItems) {

    /** @throws IllegalArgumentException naming the member that is wrong */
    public CleanupRequest toRequest() {
        Set<CleanupTask> parsed = EnumSet.noneOf(CleanupTask.class);
        if (tasks != null) {
            for (String name : tasks) {
                parsed.add(CleanupTask.fromWireName(name).orElseThrow(
                        () -> new IllegalArgumentException("unknown task '" + name + "'")));
            }
        }
        if (maxItems != null && maxItems < 1) {
            throw new IllegalArgumentException("maxItems must be positive");
        }
        return new CleanupRequest(parsed, dryRun != null && dryRun,
                maxItems == null ? CleanupRequest.DEFAULT_MAX_ITEMS : maxItems);
    }
}
