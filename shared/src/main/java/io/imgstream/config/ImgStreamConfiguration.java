package io.imgstream.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.UUID;

/**
 * Service-wide settings bound from the environment variables of docs/api.md "Configuration" (see
 * application.properties). Settings of one consumer live with it: {@link UploadLimits}, {@link CorsSettings}, the
 * cleanup job's {@code CleanupSettings} (its retention periods too).
 *
 * @param environment                  {@code development}, {@code test} or {@code production}; empty means
 *                                     development outside Cloud Run
 * @param collisionDetectionBatchSize  {@code COLLISION_DETECTION_BATCH_SIZE}, largest collision-check batch
 * @param monitoringEnabled            {@code MONITORING_ENABLED}, record collision events
 * @param eventsTopic                  {@code EVENTS_TOPIC}, Pub/Sub topic of image events; empty keeps them in the outbox
 * @param version                      the build version reported by {@code /health}
 * @param fetchUrl                     {@code FETCH_URL}, the fetch function's base URL: an upload's {@code Location} names
 *                                     the new image there (the upload function does not serve it); empty keeps the
 *                                     path alone, right where one host routes every function
 */
@ConfigurationProperties("imgstream")
public record ImgStreamConfiguration(
        @Nullable String environment,
        int collisionDetectionBatchSize,
        boolean monitoringEnabled,
        @Nullable String eventsTopic,
        @Nullable String version,
        @Nullable String fetchUrl) {

    public ImgStreamConfiguration {
        if (environment != null && !List.of("", "development", "test", "production").contains(environment)) {
            InvalidConfigurationException.fail("ENVIRONMENT must be development, test or production; it is '" + environment + "'");
        }
        InvalidConfigurationException.requireRange("COLLISION_DETECTION_BATCH_SIZE", collisionDetectionBatchSize, 1, 100_000);
        if (fetchUrl != null && !fetchUrl.isBlank()) {
            fetchUrl = fetchUrl.trim().replaceAll("/+$", "");
            if (!fetchUrl.matches("https?://[^/?#\\s]+(/[^?#\\s]*)?")) {
                InvalidConfigurationException.fail("FETCH_URL is '" + fetchUrl
                        + "', which is not the fetch function's base URL: http(s)://host[:port][/path], no query");
            }
        }
    }

    /** Where a client reads image {@code id}: under {@code FETCH_URL} when it is set, else the path alone. */
    public String imageLocation(UUID id) {
        return (fetchUrl == null || fetchUrl.isBlank() ? "" : fetchUrl) + "/images/" + id;
    }

    public boolean isProduction() {
        return "production".equals(environment);
    }

    public boolean isDevelopment() {
        return environment == null || environment.isEmpty() || "development".equals(environment);
    }

}
