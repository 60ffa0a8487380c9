package io.imgstream.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The emulator's own settings: a bad one is one line naming the variable, before anything starts. */
class LocalSettingsTest {

    /** A setting the functions refuse reaches the user as its own line, not Micronaut's bean path around it. */
    @Test
    void aRefusedFunctionSettingIsSaidInItsOwnLine() {
        RuntimeException refused = assertThrows(RuntimeException.class, () -> new io.imgstream.config.ImgStreamConfiguration(
                "development", 1, true, null, "t", "fetch.example.com"));
        RuntimeException wrapped = new IllegalStateException("Bean definition [io.imgstream.config.ConfigurationGuard] could"
                + " not be loaded: Error instantiating bean\n\nMessage: …\nPath Taken: …", new RuntimeException(refused));
        String line = LocalEmulator.reason(wrapped);
        assertTrue(line.startsWith("Invalid configuration: FETCH_URL is 'fetch.example.com'"), line);
        assertFalse(line.contains("\n"), line);
        assertEquals("port 8081 is in use", LocalEmulator.reason(new java.io.IOException("port 8081 is in use")));
    }

    @Test
    void readsTheDefaultsAndTheGivenValues() {
        LocalSettings defaults = LocalSettings.fromEnvironment(Map.of());
        assertEquals(8081, defaults.basePort());
        assertEquals(0, defaults.postgresPort());
        LocalSettings given = LocalSettings.fromEnvironment(Map.of("IMGSTREAM_BASE_PORT", " 9091 ",
                "IMGSTREAM_PG_PORT", "5433", "IMGSTREAM_LOCAL_CLEANUP_INTERVAL", "5m"));
        assertEquals(9091, given.basePort());
        assertEquals(5433, given.postgresPort());
        assertEquals(Duration.ofMinutes(5), given.cleanupInterval());
        assertEquals(Duration.ofSeconds(90), LocalSettings.parseDuration("90s"));
        assertEquals(Duration.ofMinutes(10), LocalSettings.parseDuration("PT10M"));
        assertEquals(null, LocalSettings.parseDuration("off"));
    }

    @Test
    void theGatewayTakesThePortBelowTheFunctionsUnlessToldOtherwise() {
        assertEquals(8080, LocalSettings.fromEnvironment(Map.of()).gatewayPort());
        assertEquals(9090, LocalSettings.fromEnvironment(Map.of("IMGSTREAM_BASE_PORT", "9091")).gatewayPort());
        assertEquals(7000, LocalSettings.fromEnvironment(Map.of("IMGSTREAM_GATEWAY_PORT", "7000")).gatewayPort());
        IllegalArgumentException clash = assertThrows(IllegalArgumentException.class,
                () -> LocalSettings.fromEnvironment(Map.of("IMGSTREAM_GATEWAY_PORT", "8083")));
        assertTrue(clash.getMessage().startsWith("IMGSTREAM_GATEWAY_PORT 8083 is one of the function ports 8081..8084"),
                clash.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> LocalSettings.fromEnvironment(Map.of("IMGSTREAM_GATEWAY_PORT", "x")));
        assertTrue(bad.getMessage().startsWith("IMGSTREAM_GATEWAY_PORT must be a port number"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LocalSettings.fromEnvironment(Map.of("IMGSTREAM_BASE_PORT", "1")),
                "no port 0 below base port 1");
    }

    @Test
    void refusesABadSettingByName() {
        for (Map.Entry<String, String> bad : Map.of("IMGSTREAM_BASE_PORT", "abc", "IMGSTREAM_PG_PORT", "x").entrySet()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LocalSettings.fromEnvironment(Map.of(bad.getKey(), bad.getValue())));
            assertTrue(e.getMessage().startsWith(bad.getKey() + " must be a port number"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> LocalSettings.fromEnvironment(Map.of("IMGSTREAM_BASE_PORT", "65533")),
                "the cleanup function takes the base port + 3");
        for (String interval : new String[] {"soon", "5x", "-PT5M", "PT0S", "m"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LocalSettings.parseDuration(interval), interval);
            assertTrue(e.getMessage().startsWith("IMGSTREAM_LOCAL_CLEANUP_INTERVAL must be a duration"), e.getMessage());
        }
    }

    @Test
    void aFunctionPortInUseStopsTheEmulatorBeforeAnythingStarts(@TempDir Path home) throws Exception {
        try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int base = held.getLocalPort() - 1; // fetch's port is taken
            Map<String, String> env = Map.of("IMGSTREAM_HOME", home.toString(), "IMGSTREAM_BASE_PORT", Integer.toString(base));
            LocalEmulator emulator = new LocalEmulator(LocalSettings.fromEnvironment(env), env);
            try {
                IOException e = assertThrows(IOException.class, emulator::start);
                assertEquals("port " + held.getLocalPort() + " (fetch) on 127.0.0.1 is in use; stop what holds it, or set"
                        + " IMGSTREAM_BASE_PORT to move all four functions (it and the next three ports).", e.getMessage());
            } finally {
                emulator.stop();
            }
            assertFalse(Files.exists(home.resolve("postgres")), "no database was started");
        }
    }
}
