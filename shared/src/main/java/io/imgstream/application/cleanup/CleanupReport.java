package io.imgstream.application.cleanup;

import io.micronaut.serde.annotation.Serdeable;

import java.util.Map;

/**
 * The one JSON summary a run logs.
 *
 * @param ran       false when another run held the lock and this one returned at once
 * @param counts    per task, the items handled (or, in a dry run, that would be)
 * @param completed false when the time budget or maxItems stopped the run; the next run continues
 */
@Serdeable
public record CleanupReport(boolean ran, boolean dryRun, boolean completed, long durationMillis,
                            Map<String, Long> counts) {
}
