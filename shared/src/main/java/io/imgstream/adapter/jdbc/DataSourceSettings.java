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
        bound(pool, database);
        return pool;
    }

    /**
     * The bounds of DatabaseConfiguration as the pool and pgjdbc take them: the pool's wait and the driver's connect and
     * login timeouts (TCP connect, then the start-up handshake a stopped server never answers), the socket timeout on
     * every read (a query on an open connection to a hung server otherwise waits forever: a {@code setQueryTimeout}
     * cancel goes to a server that never reads it), and the server's own {@code statement_timeout}, below it. TCP
     * keep-alive lets the kernel notice a peer that vanished while a connection sat idle in the pool.
     */
    static void bound(DatasourceConfiguration pool, DatabaseConfiguration database) {
        pool.setConnectionTimeout(database.connectTimeoutSeconds() * 1000L);
        pool.addDataSourceProperty("connectTimeout", Integer.toString(database.connectTimeoutSeconds()));
        pool.addDataSourceProperty("loginTimeout", Integer.toString(database.connectTimeoutSeconds()));
        pool.addDataSourceProperty("socketTimeout", Integer.toString(database.socketTimeoutSeconds()));
        // a cancel (Statement.setQueryTimeout, Statement.cancel) opens a connection of its own; pgjdbc waits up to 10 s
        pool.addDataSourceProperty("cancelSignalTimeout", Integer.toString(database.connectTimeoutSeconds()));
        pool.addDataSourceProperty("tcpKeepAlive", "true");
        pool.addDataSourceProperty("options", "-c statement_timeout=" + database.statementTimeoutMillis());
    }

    private static boolean configured(DatabaseConfiguration database) {
        return notBlank(database.url()) || notBlank(database.instanceConnectionName());
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
