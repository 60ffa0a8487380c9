package io.imgstream.adapter.jdbc;

import io.imgstream.config.DatabaseConfiguration;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * Turns the database settings into a JDBC URL and connection properties. {@code DATABASE_URL} may be a JDBC
 * URL or a {@code postgres://user:password@host:port/db} URL; a Cloud SQL instance is reached through the
 * Cloud SQL socket factory with lazy certificate refresh (no background refresh thread on an idle function).
 */
public record JdbcUrl(String url, Properties properties) {

    public static JdbcUrl from(DatabaseConfiguration config) {
        Properties props = new Properties();
        String url = config.url();
        if (url != null && !url.isBlank()) {
            if (url.startsWith("jdbc:")) {
                return new JdbcUrl(url, props);
            }
            if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
                URI uri = URI.create(url);
                String userInfo = uri.getRawUserInfo();
                if (userInfo != null) {
                    int colon = userInfo.indexOf(':');
                    props.setProperty("user", decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
                    if (colon >= 0) {
                        props.setProperty("password", decode(userInfo.substring(colon + 1)));
                    }
                }
                String port = uri.getPort() > 0 ? ":" + uri.getPort() : "";
                String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
                return new JdbcUrl("jdbc:postgresql://" + uri.getHost() + port + uri.getRawPath() + query, props);
            }
            throw new IllegalArgumentException("DATABASE_URL must start with jdbc:postgresql:// or postgres://");
        }
        if (config.instanceConnectionName() != null && !config.instanceConnectionName().isBlank()) {
            props.setProperty("socketFactory", "com.google.cloud.sql.postgres.SocketFactory");
            props.setProperty("cloudSqlInstance", config.instanceConnectionName());
            props.setProperty("cloudSqlRefreshStrategy", "lazy");
            props.setProperty("ipTypes", config.ipTypes() == null || config.ipTypes().isBlank() ? "PRIVATE" : config.ipTypes());
            props.setProperty("user", config.user());
            props.setProperty("password", config.password());
            return new JdbcUrl("jdbc:postgresql:///" + config.name(), props);
        }
        throw new IllegalStateException("Missing required configuration: DATABASE_URL or INSTANCE_CONNECTION_NAME");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
