package io.imgstream.adapter.jdbc;

import io.imgstream.support.TestDatabase;
import io.micronaut.context.ApplicationContext;
import io.micronaut.inject.qualifiers.Qualifiers;

import javax.sql.DataSource;
import java.util.Map;

/**
 * The metadata adapters as the functions build them (micronaut-data-jdbc repositories, Micronaut's transaction manager)
 * over a data source a test or benchmark chooses (the test database, or one that counts statements), instead of the
 * pool: a context whose {@code default} data source is that one.
 */
public final class JdbcAdapters {

    private static JdbcAdapters testDatabase;
    private final ApplicationContext context;

    public JdbcAdapters(DataSource dataSource) {
        context = ApplicationContext.builder().deduceEnvironment(false).properties(Map.of(
                "datasources.default.enabled", false,
                // ConfigurationGuard's rule; the pool it would configure is disabled above
                "imgstream.database.url", "jdbc:postgresql:///unused",
                "imgstream.storage.bucket", "")).build();
        context.registerSingleton(DataSource.class, dataSource, Qualifiers.byName("default"));
        context.start();
    }

    /** Adapters over {@link TestDatabase}, one context per JVM. */
    public static synchronized JdbcAdapters testDatabase() {
        if (testDatabase == null) {
            testDatabase = new JdbcAdapters(TestDatabase.dataSource());
        }
        return testDatabase;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    JdbcImageCatalog catalog() {
        return context.getBean(JdbcImageCatalog.class);
    }

    JdbcCollisionLookup collisionLookup() {
        return context.getBean(JdbcCollisionLookup.class);
    }

    JdbcCleanupStore cleanupStore() {
        return context.getBean(JdbcCleanupStore.class);
    }

    JdbcOutbox outbox() {
        return context.getBean(JdbcOutbox.class);
    }
}
