package io.imgstream.application.cleanup;

import io.imgstream.config.InvalidConfigurationException;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Tunables of the cleanup job.
 *
 * @param timeBudget  how long a run may work before it stops and leaves the rest for the next run; well
 *                    under the 540 s function timeout ({@code CLEANUP_TIME_BUDGET_SECONDS})
 * @param gracePeriod how old a pending upload, retired object or orphan must be before it is deleted, so
 *                    that an upload or download in flight is never cut ({@code CLEANUP_GRACE_MINUTES})
 * @param batchSize   rows handled per transaction
 * @param deletedRetention how long a soft-deleted image's bytes are kept before they are purged
 *                    ({@code DELETED_RETENTION_HOURS})
 * @param monitoringEventRetention how long collision-check monitoring events are kept
 *                    ({@code MONITORING_EVENT_RETENTION_DAYS})
 */
@ConfigurationProperties("imgstream.cleanup")
public record CleanupSettings(
        @Bindable(defaultValue = "PT7M") Duration timeBudget,
        @Bindable(defaultValue = "PT1H") Duration gracePeriod,
        @Bindable(defaultValue = "500") int batchSize,
        @Bindable(defaultValue = "PT72H") Duration deletedRetention,
        @Bindable(defaultValue = "P30D") Duration monitoringEventRetention) {

    public CleanupSettings {
        if (timeBudget.isNegative() || timeBudget.isZero() || gracePeriod.isNegative() || batchSize < 1) {
            throw new IllegalArgumentException("Invalid configuration: CLEANUP_TIME_BUDGET_SECONDS must be positive,"
                    + " CLEANUP_GRACE_MINUTES not negative and CLEANUP_BATCH_SIZE at least 1");
        }
        if (deletedRetention.isNegative()) {
            InvalidConfigurationException.fail("DELETED_RETENTION_HOURS must be at least 0");
        }
        if (monitoringEventRetention.toDays() < 1) {
            InvalidConfigurationException.fail("MONITORING_EVENT_RETENTION_DAYS must be at least 1");
        }
    }
}
