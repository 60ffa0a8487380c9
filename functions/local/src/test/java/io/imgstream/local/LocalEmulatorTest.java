package io.imgstream.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The emulator end to end: real child JVMs from the packaged function jars, embedded PostgreSQL, restart
 * with data and keys kept, and nothing left running after stop.
 */
class LocalEmulatorTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path home;

    private HttpResponse<String> get(int port, String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void startsFourHealthyFunctionsWithKeysAndKeepsThemAcrossRestarts() throws Exception {
        int base = LocalEmulator.freeBasePort();
        Map<String, String> env = LocalEmulator.isolatedEnvironment(home, base, "dev,ci");
        env.put("ALLOWED_ORIGINS", "http://localhost:3000");
        env.remove("IMGSTREAM_GATEWAY_PORT");
        env.remove("FETCH_URL");
        env.remove(io.imgstream.dev.gateway.RateLimiter.ENABLED);
        System.setProperty("imgstream.root", Path.of("../..").toAbsolutePath().normalize().toString());

        LocalEmulator first = new LocalEmulator(LocalSettings.fromEnvironment(env), env);
        Map<String, String> keys;
        try {
            first.start();
            for (int p = base; p < base + 4; p++) {
                HttpResponse<String> health = get(p, "/health", null);
                assertEquals(200, health.statusCode(), health::body);
                assertTrue(health.body().contains("\"database\":\"up\""), health::body);
            }
            for (int p = base; p < base + 3; p++) {
                assertEquals(401, get(p, "/images", null).statusCode());
            }
            String json = Files.readString(home.resolve("local.json"));
            assertTrue(json.startsWith("{\n  \"gateway\": \"http://127.0.0.1:" + (base - 1) + "\",\n"),
                    "the gateway is the base port - 1, first in local.json: " + json);
            assertTrue(json.contains("\"upload\": \"http://127.0.0.1:" + base + "\""), json);
            assertTrue(json.contains("\"collisionCheck\": \"http://127.0.0.1:" + (base + 2) + "\""), json);
            assertTrue(json.contains("\"cleanup\": \"http://127.0.0.1:" + (base + 3) + "\""), json);
            keys = first.keys();
            assertEquals(2, keys.size());
            assertTrue(keys.get("dev").startsWith("isk_") && keys.get("ci").startsWith("isk_"));
            assertEquals(404, get(base + 1, "/no-such-route", keys.get("dev")).statusCode());
            // An upload's Location names the image at the one base URL, the gateway, even when the upload port was asked.
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + base
                            + "/images?filename=where.png")).header("Authorization", "Bearer " + keys.get("dev"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(io.imgstream.dev.TestImages.png(1))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created::body);
            String location = created.headers().firstValue("Location").orElse("");
            assertTrue(location.startsWith("http://127.0.0.1:" + (base - 1) + "/images/"), location);
            HttpResponse<String> there = http.send(HttpRequest.newBuilder(URI.create(location))
                    .header("Authorization", "Bearer " + keys.get("dev")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, there.statusCode(), there::body);
            assertTrue(there.body().contains("\"filename\":\"where.png\""), there::body);
            new GatewayChecks(http, base, keys.get("dev")).servesThePublicApi();

            // a second emulator on the same home stops before touching anything: it used to take the running
            // emulator's PostgreSQL for an orphan and tell it to shut down
            Map<String, String> other = new HashMap<>(env);
            other.put("IMGSTREAM_BASE_PORT", Integer.toString(LocalEmulator.freeBasePort()));
            LocalEmulator intruder = new LocalEmulator(LocalSettings.fromEnvironment(other), other);
            IllegalStateException refused = assertThrows(IllegalStateException.class, intruder::start);
            String why = String.valueOf(refused.getMessage());
            assertTrue(why.contains("another emulator") && why.contains(home.toString()), why);
            intruder.stop();
            org.postgresql.ds.PGSimpleDataSource database = new org.postgresql.ds.PGSimpleDataSource();
            database.setUrl(LocalJson.readDatabase(home.resolve("local.json")));
            try (java.sql.Connection c = database.getConnection()) {
                assertTrue(c.isValid(2), "the running emulator's database still takes new connections");
            }
            assertEquals(200, get(base + 2, "/health", null).statusCode());

            // the cleanup port: a CloudEvent runs the job; what Eventarc never sends gets a problem, not an empty 500
            HttpResponse<String> event = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (base + 3) + "/"))
                    .header("Content-Type", "application/cloudevents+json")
                    .POST(HttpRequest.BodyPublishers.ofString(CleanupProxy.scheduledEvent("{\"dryRun\":true}"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, event.statusCode(), event::body);
            // a Pub/Sub push request, as a push subscription of the gcloud emulator POSTs it, runs the job as the event does
            String dryRun = java.util.Base64.getEncoder().encodeToString("{\"dryRun\":true}".getBytes());
            HttpResponse<String> pushed = postJson(base + 3, "{\"message\":{\"data\":\"" + dryRun + "\",\"attributes\":{},"
                    + "\"messageId\":\"42\",\"publishTime\":\"2026-12-07T00:00:00Z\"},"
                    + "\"subscription\":\"projects/local/subscriptions/imgstream-cleanup-push\"}");
            assertEquals(200, pushed.statusCode(), pushed::body);
            assertEquals(event.body().replaceAll("\"[a-zA-Z]*(Ms|At|Id)\":[^,}]*", ""),
                    pushed.body().replaceAll("\"[a-zA-Z]*(Ms|At|Id)\":[^,}]*", ""), "the same run summary as for the event");
            // a message the job cannot read is acknowledged (2xx), never redelivered forever
            String garbage = java.util.Base64.getEncoder().encodeToString("not json".getBytes());
            HttpResponse<String> unreadable = postJson(base + 3, "{\"message\":{\"data\":\"" + garbage + "\",\"messageId\":\"43\"},"
                    + "\"subscription\":\"projects/local/subscriptions/imgstream-cleanup-push\"}");
            assertEquals(2, unreadable.statusCode() / 100, unreadable::body);
            HttpResponse<String> stray = get(base + 3, "/", null);
            assertEquals(405, stray.statusCode(), stray::body);
            assertTrue(stray.body().contains("\"code\":\"method_not_allowed\""), stray::body);
            HttpResponse<String> notAnEvent = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (base + 3) + "/"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, notAnEvent.statusCode(), notAnEvent::body);
            assertEquals("application/problem+json", notAnEvent.headers().firstValue("Content-Type").orElse(""));
        } finally {
            first.stop();
        }
        assertFalse(portOpen(base), "upload still listening after stop");
        assertFalse(portOpen(base + 3), "cleanup still listening after stop");
        assertFalse(portOpen(base - 1), "the gateway still listening after stop");

        // the restart also turns on the gateway's rate limiter, as Cloud Armor limits the deployed API
        env.put(io.imgstream.dev.gateway.RateLimiter.ENABLED, "on");
        env.put(io.imgstream.dev.gateway.RateLimiter.PER_KEY, "3");
        LocalEmulator second = new LocalEmulator(LocalSettings.fromEnvironment(env), env);
        try {
            second.start();
            assertEquals(keys, second.keys(), "the dev keys survive a restart");
            assertEquals(404, get(base + 1, "/no-such-route", keys.get("dev")).statusCode());
            new GatewayChecks(http, base, keys.get("ci")).limitsAKeyTo(3);
        } finally {
            second.stop();
        }
        assertTrue(Files.isDirectory(home.resolve("postgres")) && Files.isDirectory(home.resolve("storage")));
        assertEquals(0, ProcessHandle.current().children().filter(ProcessHandle::isAlive).count(),
                "no child process outlives the emulator");
    }

    private HttpResponse<String> postJson(int port, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

        private static boolean portOpen(int port) {
        return LocalEmulator.listening(port);
    }
}
