package io.imgstream.bench;

import io.imgstream.application.AdministerAccounts;
import io.imgstream.application.AuthenticateCaller;
import io.imgstream.domain.Caller;
import io.imgstream.dev.Scratch;
import io.imgstream.dev.TestDatabase;
import io.micronaut.context.ApplicationContext;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** One embedded PostgreSQL 15 (started once, before anything is timed), a storage directory, a user and key. */
final class BenchEnvironment implements AutoCloseable {

    final String databaseUrl;
    final Path storage;
    final ApplicationContext context;
    final String key;
    final Caller caller;

    BenchEnvironment(Map<String, Object> extra) throws IOException {
        databaseUrl = TestDatabase.jdbcUrl();
        TestDatabase.truncateAll();
        storage = Scratch.directory("imgstream-bench-storage");
        Map<String, Object> props = new HashMap<>();
        props.put("imgstream.database.url", databaseUrl);
        props.put("imgstream.storage.local-dir", storage.toString());
        props.put("imgstream.monitoring-enabled", "false");
        props.putAll(extra);
        context = ApplicationContext.run(props);
        AdministerAccounts admin = context.getBean(AdministerAccounts.class);
        admin.findOrCreateUser("bench");
        key = admin.createKey("bench", "bench").key();
        caller = context.getBean(AuthenticateCaller.class).authenticate(null, key);
    }

    Map<String, String> functionEnv() {
        return Map.of("DATABASE_URL", databaseUrl, "LOCAL_STORAGE_DIR", storage.toString(), "ENVIRONMENT", "development",
                "MONITORING_ENABLED", "false", "LOG_LEVEL", "WARN");
    }

    @Override
    public void close() {
        context.close();
    }
}
