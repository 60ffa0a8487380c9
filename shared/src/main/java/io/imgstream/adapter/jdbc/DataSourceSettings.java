package io.imgstream.adapter.jdbc;

import io.imgstream.config.DatabaseConfiguration;
import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

/**
 * The pool of micronaut-jdbc-hikari ({@code datasources.default.*} in application.properties: small, lazy, bounded
 * waits) pointed at the database the environment names: {@code DATABASE_URL} (JDBC or {@code postgres://}) or a Cloud
 * SQL instance through the socket factory ({@link JdbcUrl}). Applied before the pool is built, so the pool never sees
 * the placeholder URL of the properties. When neither is set the placeholder stays and {@code ConfigurationGuard} stops
 * the start with one line naming the variables; the pool opens no connection at start either way.
 */
@Singleton
class DataSourceSettings implements BeanCreatedEventListener<DatasourceConfiguration> {

    private final DatabaseConfiguration database;

    DataSourceSettings(DatabaseConfiguration database) {
        this.database = database;
    }

    @Override
    public DatasourceConfiguration onCreated(BeanCreatedEvent<DatasourceConfiguration> event) {
        DatasourceConfiguration pool = event.getBean();
        if (!"default".equals(pool.getName()) || !configured(database)) {
            return pool;
        }
        JdbcUrl jdbc = JdbcUrl.from(database);
        pool.setJdbcUrl(jdbc.url());
        pool.getDataSourceProperties().putAll(jdbc.properties());
        pool.setMaximumPoolSize(database.maxPoolSize());
        pool.addDataSourceProperty("ApplicationName", "imgstream");
        pool.addDataSourceProperty("tcpKeepAlive", "true");
        return pool;
    }

    private static boolean configured(DatabaseConfiguration database) {
        return notBlank(database.url()) || notBlank(database.instanceConnectionName());
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
