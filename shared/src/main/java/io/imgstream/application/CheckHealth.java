package io.imgstream.application;

import io.imgstream.application.port.DatabaseProbe;
import io.imgstream.application.port.ObjectStorage;
import io.imgstream.config.ImgStreamConfiguration;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** Whether this instance can reach its database (at the schema it was built for) and its storage. */
@Singleton
public class CheckHealth {

    /** The schema version this build expects; equal to the highest migration (a test keeps them in step). */
    public static final int REQUIRED_SCHEMA_VERSION = 4;

    private static final Logger LOG = LoggerFactory.getLogger(CheckHealth.class);
    private static final String VERSION = readVersion();

    private final DatabaseProbe database;
    private final ObjectStorage storage;
    private final Clock clock;

    public CheckHealth(DatabaseProbe database, ObjectStorage storage, Clock clock) {
        this.database = database;
        this.storage = storage;
        this.clock = clock;
    }

    /** The answer of {@code GET /health}; {@code services} maps each dependency to {@code up} or why it is down. */
    @io.swagger.v3.oas.annotations.media.Schema(name = "Health")
    public record Report(
            @io.swagger.v3.oas.annotations.media.Schema(allowableValues = {"ok", "unavailable"}) String status,
            Instant timestamp, String version,
            @io.swagger.v3.oas.annotations.media.Schema(description = "database and storage: up, or why they are down")
            Map<String, String> services) {
        public boolean healthy() {
            return "ok".equals(status);
        }
    }

    public Report check() {
        Map<String, String> services = new LinkedHashMap<>();
        services.put("database", databaseStatus());
        services.put("storage", storageStatus());
        boolean up = services.values().stream().allMatch("up"::equals);
        return new Report(up ? "ok" : "unavailable", clock.instant(), VERSION, services);
    }

    private String databaseStatus() {
        try {
            int version = database.schemaVersion();
            if (version < REQUIRED_SCHEMA_VERSION) {
                return "schema_outdated";
            }
            return "up";
        } catch (RuntimeException e) {
            LOG.warn("Health: database down", e);
            return "down";
        }
    }

    private String storageStatus() {
        try {
            storage.probe();
            return "up";
        } catch (RuntimeException e) {
            LOG.warn("Health: storage down", e);
            return "down";
        }
    }

    public static String version() {
        return VERSION;
    }

    private static String readVersion() {
        try (InputStream in = CheckHealth.class.getResourceAsStream("/imgstream-build.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
