package io.imgstream.config;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Stops a function at start when a required setting is missing, with one line naming the variable,
 * instead of failing on the first request or silently falling back to local disk.
 *
 * <p>The rules: the database is required everywhere (no function ever starts its own database); in
 * {@code ENVIRONMENT=production} the bucket is required; on Cloud Run ({@code K_SERVICE} set) the
 * {@code ENVIRONMENT} itself is required, so a forgotten variable cannot turn production into development.
 */
@Context
public class ConfigurationGuard {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationGuard.class);

    /**
     * Takes every settings record whose checks must refuse a bad value at start (a record is bound, and checked, when
     * first injected; this bean is created with the context).
     */
    public ConfigurationGuard(ImgStreamConfiguration config, UploadLimits limits, CorsSettings cors,
                              DatabaseConfiguration database, StorageConfiguration storage,
                              @Nullable @Value("${k.service:}") String cloudRunService) {
        List<String> missing = missingVariables(config, database, storage, cloudRunService);
        if (!missing.isEmpty()) {
            String line = "Missing required configuration: " + String.join(", ", missing)
                    + (config.isProduction() ? " (ENVIRONMENT=production)" : "");
            LOG.error(line);
            throw new MissingConfigurationException(line);
        }
    }

    static List<String> missingVariables(ImgStreamConfiguration config, DatabaseConfiguration database,
                                         StorageConfiguration storage, @Nullable String cloudRunService) {
        List<String> missing = new ArrayList<>();
        if (blank(config.environment()) && !blank(cloudRunService)) {
            missing.add("ENVIRONMENT");
        }
        if (blank(database.url())) {
            if (blank(database.instanceConnectionName())) {
                missing.add("DATABASE_URL or INSTANCE_CONNECTION_NAME");
            } else {
                if (blank(database.name())) {
                    missing.add("DB_NAME");
                }
                if (blank(database.user())) {
                    missing.add("DB_USER");
                }
                if (blank(database.password())) {
                    missing.add("DB_PASSWORD");
                }
            }
        }
        if (config.isProduction() && !storage.usesBucket()) {
            missing.add("GCS_BUCKET_NAME");
        }
        return missing;
    }

    private static boolean blank(@Nullable String s) {
        return s == null || s.isBlank();
    }
}
