package io.imgstream.adapter.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.imgstream.config.DatabaseConfiguration;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Primary;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import javax.sql.DataSource;

/**
 * The one connection pool of an instance. It opens no connection at start (a cold start must not wait for
 * the database) and stays small: a function instance serves few concurrent requests, and Cloud SQL's
 * connection limit is shared by every instance.
 */
@Factory
class DataSourceFactory {

    @Singleton
    @Primary
    @Named("default")
    @Bean(preDestroy = "close")
    HikariDataSource dataSource(DatabaseConfiguration config) {
        JdbcUrl jdbc = JdbcUrl.from(config);
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("imgstream");
        // Named explicitly: under the Functions Framework class loader DriverManager cannot discover it.
        hikari.setDriverClassName("org.postgresql.Driver");
        hikari.setJdbcUrl(jdbc.url());
        hikari.setDataSourceProperties(jdbc.properties());
        hikari.setMaximumPoolSize(config.maxPoolSize());
        hikari.setMinimumIdle(0);
        hikari.setInitializationFailTimeout(-1);
        hikari.setConnectionTimeout(5_000);
        hikari.setValidationTimeout(2_000);
        hikari.setIdleTimeout(60_000);
        hikari.setMaxLifetime(600_000);
        hikari.addDataSourceProperty("ApplicationName", "imgstream");
        hikari.addDataSourceProperty("tcpKeepAlive", "true");
        return new HikariDataSource(hikari);
    }
}
