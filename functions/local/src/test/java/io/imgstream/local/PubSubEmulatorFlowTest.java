package io.imgstream.local;

import io.imgstream.dev.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Scheduler → Pub/Sub → cleanup with Google's own tools: {@code IMGSTREAM_PUBSUB_EMULATOR=1} runs the gcloud Pub/Sub
 * emulator beside the functions; the gcloud CLI (pointed at it with {@code CLOUDSDK_API_ENDPOINT_OVERRIDES_PUBSUB})
 * pulls the image.uploaded event of an upload, and publishes a cleanup message whose push delivery purges a deleted
 * image's bytes. Skipped where the Google Cloud CLI or its Pub/Sub emulator component is absent.
 */
class PubSubEmulatorFlowTest {

    @TempDir
    Path home;

    @Test
    void gcloudPublishDrivesCleanupAndImageEventsCanBePulled() throws Exception {
        Path gcloud = PubSubEmulator.gcloud();
        assumeTrue(gcloud != null, "Google Cloud CLI Pub/Sub emulator not installed");
        int pubsubPort;
        try (ServerSocket s = new ServerSocket(0)) {
            pubsubPort = s.getLocalPort();
        }
        int base = LocalEmulator.freeBasePort();
        Map<String, String> env = LocalEmulator.isolatedEnvironment(home, base, null);
        env.put("IMGSTREAM_PUBSUB_EMULATOR", "1");
        env.put("IMGSTREAM_PUBSUB_PORT", Integer.toString(pubsubPort));
        env.put("DELETED_RETENTION_HOURS", "0"); // a deleted image's bytes are due for purge at once
        env.remove("EVENTS_TOPIC");
        System.setProperty("imgstream.root", Path.of("../..").toAbsolutePath().normalize().toString());
        LocalEmulator emulator = new LocalEmulator(LocalSettings.fromEnvironment(env), env);
        try {
            emulator.start();
            String key = emulator.keys().get("dev");
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + base
                            + "/images?filename=via-pubsub.png")).header("Authorization", "Bearer " + key)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(TestImages.png(5))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created::body);
            String id = created.body().replaceAll(".*\"id\":\"([0-9a-f-]{36})\".*", "$1");

            String pulled = gcloud(gcloud, pubsubPort, "pubsub", "subscriptions", "pull", PubSubEmulator.EVENTS_PULL,
                    "--auto-ack", "--limit=10", "--format=json");
            assertTrue(pulled.contains("\"eventType\": \"image.uploaded\""), pulled);

            assertEquals(204, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + base + "/images/" + id))
                    .header("Authorization", "Bearer " + key).DELETE().build(), HttpResponse.BodyHandlers.discarding()).statusCode());
            assertEquals(1, objects(), "the deleted image's bytes stay until cleanup purges them");

            String published = gcloud(gcloud, pubsubPort, "pubsub", "topics", "publish", PubSubEmulator.CLEANUP_TOPIC,
                    "--message={}");
            assertTrue(published.contains("messageIds"), published);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (objects() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            assertEquals(0, objects(), "the pushed cleanup message ran the job: the deleted image's bytes are purged");
        } finally {
            emulator.stop();
        }
        assertTrue(!LocalEmulator.listening(pubsubPort), "the Pub/Sub emulator stops with the emulator");
    }

    private long objects() throws IOException {
        Path users = home.resolve("storage").resolve("users");
        if (!Files.isDirectory(users)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(users)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    /** The real gcloud CLI against the emulator: an endpoint override and a placeholder token (the emulator checks none). */
    private String gcloud(Path gcloud, int port, String... args) throws Exception {
        Path token = home.resolve("token");
        Files.writeString(token, "emulator");
        List<String> command = new ArrayList<>(List.of(gcloud.toString()));
        command.addAll(List.of(args));
        command.add("--project=" + PubSubEmulator.PROJECT);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("CLOUDSDK_API_ENDPOINT_OVERRIDES_PUBSUB", "http://127.0.0.1:" + port + "/");
        pb.environment().put("CLOUDSDK_AUTH_ACCESS_TOKEN_FILE", token.toString());
        pb.environment().put("CLOUDSDK_CONFIG", home.resolve("gcloud-config").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "gcloud finished");
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
