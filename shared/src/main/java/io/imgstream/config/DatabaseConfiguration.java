package io.imgstream.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * Where the metadata lives: either {@code DATABASE_URL} (a JDBC URL or a {@code postgres://} URL), or a
 * Cloud SQL instance ({@code INSTANCE_CONNECTION_NAME} + {@code DB_NAME} + {@code DB_USER} +
 * {@code DB_PASSWORD}) reached through the Cloud SQL socket factory.
 */
@ConfigurationProperties("imgstream.database")
public record DatabaseConfiguration(
        @Nullable String url,
        @Nullable String instanceConnectionName,
        @Nullable String name,
        @Nullable String user,
        @Nullable String password,
        @Nullable String ipTypes,
        int maxPoolSize) {

    public DatabaseConfiguration {
        InvalidConfigurationException.requireRange("DB_MAX_POOL_SIZE", maxPoolSize, 1, 100);
    }
}
