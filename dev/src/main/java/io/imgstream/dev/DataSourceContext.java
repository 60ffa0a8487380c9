package io.imgstream.dev;

import io.micronaut.context.ApplicationContext;
import io.micronaut.inject.qualifiers.Qualifiers;

import javax.sql.DataSource;
import java.util.Map;

/**
 * A Micronaut context whose {@code default} data source is one the caller chooses (the test database, or one that
 * counts statements) instead of the pool, so that tests and benchmarks get the metadata adapters exactly as the
 * functions build them (micronaut-data-jdbc repositories, Micronaut's transaction manager).
 */
public final class DataSourceContext implements AutoCloseable {

    private final ApplicationContext context;

    public DataSourceContext(DataSource dataSource) {
        context = ApplicationContext.builder().deduceEnvironment(false).properties(Map.of(
                "datasources.default.enabled", false,
                // ConfigurationGuard's rule; the pool it would configure is disabled above
                "imgstream.database.url", "jdbc:postgresql:///unused",
                "imgstream.storage.bucket", "")).build();
        context.registerSingleton(DataSource.class, dataSource, Qualifiers.byName("default"));
        context.start();
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
