package io.imgstream.support;

import io.imgstream.dev.TestDatabase;
import io.imgstream.dev.Scratch;
import io.micronaut.test.support.TestPropertyProvider;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Points a {@code @MicronautTest} at the shared test database and a fresh storage directory. Test classes
 * implement it (with {@code @TestInstance(PER_CLASS)}) and may add properties with {@link #extraProperties()}.
 */
public interface IntegrationTestProperties extends TestPropertyProvider {

    @Override
    default Map<String, String> getProperties() {
        Map<String, String> props = new HashMap<>();
        props.put("imgstream.environment", "test");
        props.put("imgstream.database.url", TestDatabase.jdbcUrl());
        props.put("imgstream.storage.local-dir", Scratch.directory("imgstream-test-storage").toString());
        props.putAll(extraProperties());
        return props;
    }

    default Map<String, String> extraProperties() {
        return Map.of();
    }
}
