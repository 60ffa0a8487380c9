package io.imgstream.adapter.jdbc;

import io.imgstream.application.PublishEvents;
import io.imgstream.application.cleanup.CleanupSettings;
import io.imgstream.application.cleanup.RunCleanup;
import io.imgstream.application.port.ObjectStorage;
import io.imgstream.dev.DataSourceContext;
import io.micronaut.serde.ObjectMapper;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;

/** Builds the cleanup job on any storage adapter for the benchmarks (the JDBC adapters are package-private). */
public final class BenchAccess {

    private BenchAccess() {
    }

    public static RunCleanup cleanup(DataSource dataSource, ObjectStorage storage, Duration budget) {
        DataSourceContext adapters = new DataSourceContext(dataSource);
        return new RunCleanup(adapters.bean(JdbcCleanupStore.class), storage, adapters.bean(JdbcOutbox.class),
                new PublishEvents(adapters.bean(JdbcOutbox.class), null),
                new CleanupSettings(budget, Duration.ofHours(1), 500, Duration.ofHours(72), Duration.ofDays(30)), Clock.systemUTC(),
                ObjectMapper.getDefault());
    }
}
