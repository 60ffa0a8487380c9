package io.imgstream.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * Where the metadata lives: either {@code DATABASE_URL} (a JDBC URL or a {@code postgres://} URL), or a
 * Cloud SQL instance ({@code INSTANCE_CONNECTION_NAME} + {@code DB_NAME} + {@code DB_USER} +
 * {@code DB_PASSWORD}) reached through the Cloud SQL socket factory.
 *
 * <p>Every wait on PostgreSQL is bounded, so that a hung server (a frozen VM, a network partition) costs a request a
 * 503 within a known time instead of holding it: {@code connectTimeoutSeconds} bounds getting a connection (the pool's
 * wait, and opening one: TCP connect plus the start-up handshake), {@code socketTimeoutSeconds} every read of an open
 * connection, {@code statementTimeoutMillis} a query on a live server (PostgreSQL cancels it itself, before the socket
 * bound would break the connection). A request therefore hears from the database within
 * {@code max(connect, socket)} seconds. 0 switches a bound off; only schema migrations do that.
 */
@ConfigurationProperties("imgstream.database")
public record DatabaseConfiguration(
        @Nullable String url,
        @Nullable String instanceConnectionName,
        @Nullable String name,
        @Nullable String user,
        @Nullable String password,
        @Nullable String ipTypes,
        int maxPoolSize,
        int connectTimeoutSeconds,
        int socketTimeoutSeconds,
        int statementTimeoutMillis) {

    public DatabaseConfiguration {
        InvalidConfigurationException.requireRange("DB_MAX_POOL_SIZE", maxPoolSize, 1, 100);
        InvalidConfigurationException.requireRange("DB_CONNECT_TIMEOUT_SECONDS", connectTimeoutSeconds, 1, 60);
        InvalidConfigurationException.requireRange("DB_SOCKET_TIMEOUT_SECONDS", socketTimeoutSeconds, 0, 3600);
        InvalidConfigurationException.requireRange("DB_STATEMENT_TIMEOUT_MS", statementTimeoutMillis, 0, 3_600_000);
        if (socketTimeoutSeconds > 0 && (statementTimeoutMillis == 0 || statementTimeoutMillis >= socketTimeoutSeconds * 1000L)) {
            InvalidConfigurationException.fail("DB_STATEMENT_TIMEOUT_MS must be below DB_SOCKET_TIMEOUT_SECONDS (so that"
                    + " PostgreSQL cancels a slow query before the socket bound breaks the connection); it is "
                    + statementTimeoutMillis + " ms against " + socketTimeoutSeconds + " s");
        }
    }

    /** The longest a request waits on the database before it hears a failure. */
    public int requestBoundSeconds() {
        return Math.max(connectTimeoutSeconds, socketTimeoutSeconds);
    }
}
