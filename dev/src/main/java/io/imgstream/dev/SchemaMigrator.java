package io.imgstream.dev;

import io.micronaut.context.ApplicationContext;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.flyway.FlywayConfigurationProperties;
import io.micronaut.flyway.FlywayMigrator;
import io.micronaut.inject.qualifiers.Qualifiers;

import javax.sql.DataSource;
import java.util.Map;

/**
 * Applies the Flyway migrations of {@code shared/src/main/resources/db/migration} through micronaut-flyway: a context
 * of the database's own (its pool from {@code datasources.default}, the migrations from {@code flyway.datasources.default}),
 * started, used and closed per call. Functions never call it, nor carry micronaut-flyway: migrations are a deploy step
 * ({@code imgstream admin db migrate}) and an emulator start step, so that no cold start pays for Flyway.
 */
public final class SchemaMigrator {

    private SchemaMigrator() {
    }

    /**
     * @param databaseUrl a {@code DATABASE_URL}: JDBC or {@code postgres://}
     * @return the number of migrations applied now
     */
    public static int migrate(String databaseUrl) {
        return run(databaseUrl, false, true);
    }

    /** @return the number of migrations this build has that the database has not applied yet */
    public static int pending(String databaseUrl) {
        return run(databaseUrl, false, false);
    }

    /** Drops every object of the schema, then migrates again; the caller checks it is allowed. */
    public static void reset(String databaseUrl) {
        run(databaseUrl, true, true);
    }

    /** @return the migrations pending before the run */
    private static int run(String databaseUrl, boolean clean, boolean migrate) {
        Map<String, Object> properties = Map.of(
                "imgstream.database.url", databaseUrl,
                "imgstream.storage.bucket", "",
                // a migration may rightly run long (an index on a large table): no socket or statement bound here
                "imgstream.database.socket-timeout-seconds", 0,
                "imgstream.database.statement-timeout-millis", 0,
                // run here, on demand, not when the pool starts
                "flyway.datasources.default.enabled", false,
                "flyway.datasources.default.locations", "classpath:db/migration",
                "flyway.datasources.default.fail-on-missing-locations", true,
                "flyway.datasources.default.clean-schema", clean);
        try (ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false).properties(properties)
                .start()) {
            FlywayConfigurationProperties config = context.getBean(FlywayConfigurationProperties.class,
                    Qualifiers.byName("default"));
            DataSource dataSource = DelegatingDataSource.unwrapDataSource(context.getBean(DataSource.class));
            int pending = config.getFluentConfiguration().dataSource(dataSource).load().info().pending().length;
            if (migrate && (pending > 0 || clean)) {
                context.getBean(FlywayMigrator.class).run(config, dataSource);
            }
            return pending;
        }
    }
}
