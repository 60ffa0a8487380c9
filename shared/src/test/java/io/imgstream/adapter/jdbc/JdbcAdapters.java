package io.imgstream.adapter.jdbc;

import io.imgstream.dev.DataSourceContext;
import io.imgstream.dev.TestDatabase;

import javax.sql.DataSource;

/**
 * The metadata adapters as the functions build them over a data source a test chooses ({@link DataSourceContext}).
 */
public final class JdbcAdapters {

    private static JdbcAdapters testDatabase;
    private final DataSourceContext context;

    public JdbcAdapters(DataSource dataSource) {
        context = new DataSourceContext(dataSource);
    }

    /** Adapters over {@link TestDatabase}, one context per JVM. */
    public static synchronized JdbcAdapters testDatabase() {
        if (testDatabase == null) {
            testDatabase = new JdbcAdapters(TestDatabase.dataSource());
        }
        return testDatabase;
    }

    public <T> T bean(Class<T> type) {
        return context.bean(type);
    }

    JdbcImageCatalog catalog() {
        return context.bean(JdbcImageCatalog.class);
    }

    JdbcCollisionLookup collisionLookup() {
        return context.bean(JdbcCollisionLookup.class);
    }

    JdbcCleanupStore cleanupStore() {
        return context.bean(JdbcCleanupStore.class);
    }

    JdbcOutbox outbox() {
        return context.bean(JdbcOutbox.class);
    }
}
