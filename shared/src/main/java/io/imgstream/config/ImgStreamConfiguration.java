package io.imgstream.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.UUID;

/**
 * Service-wide settings bound from the environment variables of docs/api.md "Configuration" (see application.properties).
 *
 * @param environment                  {@code development}, {@code test} or {@code production}; empty means
 *                                     development outside Cloud Run
 * @param maxUploadBytes               {@code MAX_UPLOAD_BYTES}, largest accepted body
 * @param maxImagePixels               {@code MAX_IMAGE_PIXELS}, largest declared width × height
 * @param collisionDetectionBatchSize  {@code COLLISION_DETECTION_BATCH_SIZE}, largest collision-check batch
 * @param monitoringEnabled            {@code MONITORING_ENABLED}, record collision events
 * @param monitoringEventRetentionDays {@code MONITORING_EVENT_RETENTION_DAYS}
 * @param deletedRetentionHours        {@code DELETED_RETENTION_HOURS}, before soft-deleted bytes are purged
 * @param allowedOrigins               {@code ALLOWED_ORIGINS}, comma separated CORS origins
 * @param eventsTopic                  {@code EVENTS_TOPIC}, Pub/Sub topic of image events; empty keeps them in the outbox
 * @param version                      the build version reported by {@code /health}
 * @param fetchUrl                     {@code FETCH_URL}, the fetch function's base URL: an upload's {@code Location} names
 *                                     the new image there (the upload function does not serve it); empty keeps the
 *                                     path alone, right where one host routes every function
 */
@ConfigurationProperties("imgstream")
public record ImgStreamConfiguration(
        @Nullable String environment,
        long maxUploadBytes,
        long maxImagePixels,
        int collisionDetectionBatchSize,
        boolean monitoringEnabled,
        int monitoringEventRetentionDays,
        int deletedRetentionHours,
        @Nullable String allowedOrigins,
        @Nullable String eventsTopic,
        @Nullable String version,
        @Nullable String fetchUrl) {

    public ImgStreamConfiguration {
        if (environment != null && !List.of("", "development", "test", "production").contains(environment)) {
            InvalidConfigurationException.fail("ENVIRONMENT must be development, test or production; it is '" + environment + "'");
        }
        InvalidConfigurationException.requireRange("MAX_UPLOAD_BYTES", maxUploadBytes, 1, Long.MAX_VALUE);
        InvalidConfigurationException.requireRange("MAX_IMAGE_PIXELS", maxImagePixels, 1, Long.MAX_VALUE);
        InvalidConfigurationException.requireRange("COLLISION_DETECTION_BATCH_SIZE", collisionDetectionBatchSize, 1, 100_000);
        InvalidConfigurationException.requireRange("MONITORING_EVENT_RETENTION_DAYS", monitoringEventRetentionDays, 1, Long.MAX_VALUE);
        InvalidConfigurationException.requireRange("DELETED_RETENTION_HOURS", deletedRetentionHours, 0, Long.MAX_VALUE);
        // Browsers send an origin exactly (no path, no trailing slash); anything else would silently match nothing.
        if (allowedOrigins != null) {
            for (String origin : allowedOrigins.split(",")) {
                String o = origin.trim();
                if (!o.isEmpty() && !o.equals("*") && !o.matches("https?://[^/?#\\s]+")) {
                    InvalidConfigurationException.fail("ALLOWED_ORIGINS holds '" + o
                            + "', which is not an origin: scheme://host[:port], without a path or trailing slash");
                }
            }
        }
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
