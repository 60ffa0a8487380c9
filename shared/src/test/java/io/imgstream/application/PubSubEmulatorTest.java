package io.imgstream.application;

import io.imgstream.application.upload.UploadCommand;
import io.imgstream.application.upload.UploadImage;
import io.imgstream.domain.Caller;
import io.imgstream.domain.ConflictPolicy;
import io.imgstream.support.Fixtures;
import io.imgstream.dev.Scratch;
import io.imgstream.dev.TestDatabase;
import io.imgstream.dev.TestImages;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Events through the Pub/Sub emulator of the Google Cloud CLI, when it is installed (skipped, not failed,
 * where it is not): the same setup README.md describes for local development.
 */
class PubSubEmulatorTest {

    private static Path gcloud() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "gcloud");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean emulatorInstalled(Path gcloud) {
        try {
            Path sdk = gcloud.toRealPath().getParent().getParent();
            return Files.isDirectory(sdk.resolve("platform/pubsub-emulator"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void uploadEventsArriveThroughTheEmulator() throws Exception {
        Path gcloud = gcloud();
        assumeTrue(gcloud != null && emulatorInstalled(gcloud), "Google Cloud CLI Pub/Sub emulator not installed");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process emulator = new ProcessBuilder(gcloud.toString(), "beta", "emulators", "pubsub", "start",
                "--project=imgstream-test", "--host-port=127.0.0.1:" + port).redirectErrorStream(true)
                .redirectOutput(Scratch.file("pubsub-emulator", ".log").toFile()).start();
        try {
            awaitPort(port, 90);
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + port + "/v1/projects/imgstream-test";
            put(http, base + "/topics/imgstream-events", "{}");
            put(http, base + "/subscriptions/test-sub", "{\"topic\":\"projects/imgstream-test/topics/imgstream-events\"}");
            TestDatabase.truncateAll();
            try (ApplicationContext context = ApplicationContext.run(Map.of(
                    "imgstream.database.url", TestDatabase.jdbcUrl(),
                    "imgstream.storage.local-dir", Scratch.directory("emulator").toString(),
                    "imgstream.events-topic", "imgstream-events",
                    "gcp.project-id", "imgstream-test",
                    "pubsub.emulator.host", "127.0.0.1:" + port))) {
                String key = Fixtures.userWithKey(context.getBean(AdministerAccounts.class), "emulator");
                Caller caller = context.getBean(AuthenticateCaller.class).authenticate(null, key);
                byte[] png = TestImages.png(1);
                context.getBean(UploadImage.class).upload(new UploadCommand(caller, "via-emulator.png",
                        new ByteArrayInputStream(png), png.length, ConflictPolicy.REJECT));
            }
            HttpResponse<String> pulled = http.send(HttpRequest.newBuilder(URI.create(base + "/subscriptions/test-sub:pull"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"maxMessages\":10}")).build(), HttpResponse.BodyHandlers.ofString());
            Matcher data = Pattern.compile("\"data\"\\s*:\\s*\"([^\"]+)\"").matcher(pulled.body());
            assertTrue(data.find(), pulled.body());
            String event = new String(Base64.getDecoder().decode(data.group(1)), StandardCharsets.UTF_8);
            assertTrue(event.contains("image.uploaded") && event.contains("via-emulator.png"), event);
            assertTrue(pulled.body().contains("eventType"), pulled.body());
            assertTrue(TestDatabase.count("select count(*) from event_outbox where published_at is null") == 0);
        } finally {
            emulator.descendants().forEach(ProcessHandle::destroy);
            emulator.destroy();
        }
    }

    private static void put(HttpClient http, String url, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() == 200, url + " → " + r.statusCode() + " " + r.body());
    }

    private static void awaitPort(int port, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException("the Pub/Sub emulator did not open port " + port);
    }
}
