package io.imgstream.application.resumable;

import io.imgstream.config.InvalidConfigurationException;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * @param maxBytes    {@code MAX_RESUMABLE_BYTES}: the largest resumable upload (default 1 GiB), {@code Tus-Max-Size}
 * @param expiryHours {@code RESUMABLE_EXPIRY_HOURS}: an unfinished upload expires this long after its creation (default 24)
 * @param lease       how long a PATCH holds the one writer's lease of an upload: longer than the upload function's
 *                    request timeout, so that only a writer that died (not a slow one) loses it
 */
@ConfigurationProperties("imgstream.resumable")
public record ResumableSettings(@Bindable(defaultValue = "1073741824") long maxBytes,
                                @Bindable(defaultValue = "24") int expiryHours,
                                @Bindable(defaultValue = "PT6M") Duration lease) {

    public ResumableSettings {
        InvalidConfigurationException.requireRange("MAX_RESUMABLE_BYTES", maxBytes, 1, 5L * 1024 * 1024 * 1024 * 1024);
        InvalidConfigurationException.requireRange("RESUMABLE_EXPIRY_HOURS", expiryHours, 1, 24 * 30);
    }
}
