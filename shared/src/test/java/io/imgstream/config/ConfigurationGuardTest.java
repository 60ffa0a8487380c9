package io.imgstream.config;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Production refuses to start without its database or bucket, with one line naming the variable. */
class ConfigurationGuardTest {

    private static Map<String, Object> production() {
        Map<String, Object> props = new HashMap<>();
        props.put("imgstream.environment", "production");
        props.put("imgstream.database.url", "jdbc:postgresql://127.0.0.1:1/imgstream");
        props.put("imgstream.storage.bucket", "bucket");
        return props;
    }

    private static String startFailure(Map<String, Object> props) {
        return startFailure(props, MissingConfigurationException.class);
    }

    private static String startFailure(Map<String, Object> props, Class<? extends RuntimeException> expected) {
        Throwable t = assertThrows(Throwable.class, () -> {
            try (ApplicationContext ignored = ApplicationContext.run(props)) {
                // started: the test fails in assertThrows
            }
        });
        while (t != null && !expected.isInstance(t)) {
            t = t.getCause();
        }
        assertTrue(expected.isInstance(t), "expected a " + expected.getSimpleName());
        assertFalse(t.getMessage().contains("\n"), "one line");
        return t.getMessage();
    }

    @Test
    void startsWhenEverythingIsSet() {
        Map<String, Object> props = production();
        props.put("imgstream.allowed-origins", "https://app.example.com, http://localhost:3000,https://x.example:8443");
        try (ApplicationContext ctx = ApplicationContext.run(props)) {
            assertTrue(ctx.getBean(ImgStreamConfiguration.class).isProduction());
        }
    }

    @Test
    void aStatementBoundAtOrAboveTheSocketBoundIsRefused() {
        Map<String, Object> props = production();
        props.put("imgstream.database.statement-timeout-millis", "5000");
        String line = startFailure(props, InvalidConfigurationException.class);
        assertTrue(line.startsWith("Invalid configuration: DB_STATEMENT_TIMEOUT_MS must be below DB_SOCKET_TIMEOUT_SECONDS"), line);
        assertTrue(line.endsWith("it is 5000 ms against 5 s"), line);
    }

    @Test
    void aConnectBoundOfZeroIsRefused() {
        Map<String, Object> props = production();
        props.put("imgstream.database.connect-timeout-seconds", "0");
        assertEquals("Invalid configuration: DB_CONNECT_TIMEOUT_SECONDS must be between 1 and 60; it is 0",
                startFailure(props, InvalidConfigurationException.class));
    }

    @Test
    void anUnknownEnvironmentIsRefusedByName() {
        Map<String, Object> props = production();
        props.put("imgstream.environment", "prod");
        assertEquals("Invalid configuration: ENVIRONMENT must be development, test or production; it is 'prod'",
                startFailure(props, InvalidConfigurationException.class));
    }

    @Test
    void anAllowedOriginThatIsNoOriginIsRefusedByName() {
        Map<String, Object> props = production();
        props.put("imgstream.allowed-origins", "https://app.example.com, https://admin.example.com/");
        assertEquals("Invalid configuration: ALLOWED_ORIGINS holds 'https://admin.example.com/', which is not an origin:"
                + " scheme://host[:port], without a path or trailing slash", startFailure(props, InvalidConfigurationException.class));
        props.put("imgstream.allowed-origins", "app.example.com");
        assertTrue(startFailure(props, InvalidConfigurationException.class).contains("'app.example.com'"));
    }

    @Test
    void theFetchUrlNamesWhereAnUploadedImageIsReadAndIsRefusedWhenItIsNoBaseUrl() {
        java.util.UUID id = java.util.UUID.fromString("7a0f0000-0000-4000-8000-000000000000");
        Map<String, Object> props = production();
        try (ApplicationContext ctx = ApplicationContext.run(props)) {
            assertEquals("/images/" + id, ctx.getBean(ImgStreamConfiguration.class).imageLocation(id));
        }
        props.put("imgstream.fetch-url", "https://fetch.example.com/api/");
        try (ApplicationContext ctx = ApplicationContext.run(props)) {
            assertEquals("https://fetch.example.com/api/images/" + id,
                    ctx.getBean(ImgStreamConfiguration.class).imageLocation(id));
        }
        props.put("imgstream.fetch-url", "fetch.example.com");
        assertTrue(startFailure(props, InvalidConfigurationException.class).startsWith(
                "Invalid configuration: FETCH_URL is 'fetch.example.com'"));
        props.put("imgstream.fetch-url", "https://fetch.example.com/?x=1");
        assertTrue(startFailure(props, InvalidConfigurationException.class).contains("FETCH_URL"));
    }

    @Test
    void outOfRangeNumbersAreRefusedByVariable() {
        Map<String, Object> props = production();
        props.put("imgstream.max-upload-bytes", "0");
        assertEquals("Invalid configuration: MAX_UPLOAD_BYTES must be at least 1; it is 0",
                startFailure(props, InvalidConfigurationException.class));
        props = production();
        props.put("imgstream.collision-detection-batch-size", "100001");
        assertTrue(startFailure(props, InvalidConfigurationException.class)
                .contains("COLLISION_DETECTION_BATCH_SIZE must be between 1 and 100000"));
        props = production();
        props.put("imgstream.database.max-pool-size", "0");
        assertTrue(startFailure(props, InvalidConfigurationException.class).contains("DB_MAX_POOL_SIZE"));
    }

    @Test
    void productionWithoutBucketNamesGcsBucketName() {
        Map<String, Object> props = production();
        props.remove("imgstream.storage.bucket");
        props.put("imgstream.storage.local-dir", "/tmp/x");
        assertTrue(startFailure(props).contains("GCS_BUCKET_NAME"));
    }

    @Test
    void withoutAnyDatabaseNamesBothWays() {
        Map<String, Object> props = production();
        props.remove("imgstream.database.url");
        assertTrue(startFailure(props).contains("DATABASE_URL or INSTANCE_CONNECTION_NAME"));
    }

    @Test
    void cloudSqlNeedsNameUserAndPassword() {
        Map<String, Object> props = production();
        props.remove("imgstream.database.url");
        props.put("imgstream.database.instance-connection-name", "p:r:i");
        props.put("imgstream.database.name", "imgstream");
        props.put("imgstream.database.user", "app");
        assertEquals("Missing required configuration: DB_PASSWORD (ENVIRONMENT=production)", startFailure(props));
        props.remove("imgstream.database.user");
        assertTrue(startFailure(props).contains("DB_USER"));
        props.remove("imgstream.database.name");
        assertTrue(startFailure(props).contains("DB_NAME"));
    }

    @Test
    void onCloudRunTheEnvironmentItselfIsRequired() {
        Map<String, Object> props = production();
        props.remove("imgstream.environment");
        props.put("k.service", "imgstream-upload");
        assertTrue(startFailure(props).contains("ENVIRONMENT"));
    }

    @Test
    void developmentFallsBackToLocalDiskButNeverToALocalDatabase() {
        Map<String, Object> props = new HashMap<>();
        props.put("imgstream.environment", "development");
        assertTrue(startFailure(props).contains("DATABASE_URL"));
        props.put("imgstream.database.url", "jdbc:postgresql://127.0.0.1:1/imgstream");
        try (ApplicationContext ctx = ApplicationContext.run(props)) {
            assertFalse(ctx.getBean(StorageConfiguration.class).usesBucket());
        }
    }
}
