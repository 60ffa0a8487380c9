package io.imgstream.adapter.embedded;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;

/**
 * Applies the Flyway migrations of {@code shared/src/main/resources/db/migration}. Functions never call it:
 * migrations are a deploy step ({@code imgstream admin db migrate}) and an emulator start step, so that no
 * cold start pays for Flyway.
 */
public final class SchemaMigrator {

    private SchemaMigrator() {
    }

    /** @return the number of migrations applied now */
    public static int migrate(DataSource dataSource) {
        MigrateResult result = flyway(dataSource).migrate();
        return result.migrationsExecuted;
    }

    /** @return the number of migrations this build has that the database has not applied yet */
    public static int pending(DataSource dataSource) {
        return flyway(dataSource).info().pending().length;
    }

    /** Drops every object of the schema, then migrates again; the caller checks it is allowed. */
    public static void reset(DataSource dataSource) {
        Flyway flyway = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration")
                .cleanDisabled(false).load();
        flyway.clean();
        flyway.migrate();
    }

    private static Flyway flyway(DataSource dataSource) {
        return Flyway.configure().dataSource(dataSource).locations("classpath:db/migration")
                .failOnMissingLocations(true).load();
    }
}
