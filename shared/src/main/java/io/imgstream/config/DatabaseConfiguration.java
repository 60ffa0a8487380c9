package io.imgstream.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

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
        @Min(1) @Max(100) int maxPoolSize) {
}
