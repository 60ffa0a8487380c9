package io.imgstream.local;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Google's own Pub/Sub emulator ({@code gcloud beta emulators pubsub start}) for {@code IMGSTREAM_PUBSUB_EMULATOR=1}:
 * started on 127.0.0.1, with the topics and subscriptions of the deployed system created through its REST API — the
 * cleanup topic with a push subscription to the cleanup port (what Scheduler → Pub/Sub → cleanup does in the cloud),
 * and the events topic with a pull subscription a developer reads image events from.
 */
final class PubSubEmulator implements AutoCloseable {

    static final String PROJECT = "local";
    static final String CLEANUP_TOPIC = "imgstream-cleanup";
    static final String CLEANUP_PUSH = "imgstream-cleanup-push";
    static final String EVENTS_TOPIC = "imgstream-events";
    static final String EVENTS_PULL = "imgstream-events-pull";

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PubSubEmulator(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The gcloud binary on PATH when its Pub/Sub emulator component is installed; null otherwise. */
    static Path gcloud() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "gcloud");
            if (Files.isExecutable(candidate)) {
                try {
                    Path sdk = candidate.toRealPath().getParent().getParent();
                    return Files.isDirectory(sdk.resolve("platform/pubsub-emulator")) ? candidate : null;
                } catch (IOException e) {
                    return null;
                }
            }
        }
        return null;
    }

    static PubSubEmulator start(int port, Path log) throws IOException, InterruptedException {
        Path gcloud = gcloud();
        if (gcloud == null) {
            throw new IllegalStateException("IMGSTREAM_PUBSUB_EMULATOR is set, but the Google Cloud CLI's Pub/Sub emulator is"
                    + " not installed (gcloud components install pubsub-emulator, or apt-get install"
                    + " google-cloud-cli-pubsub-emulator); unset it to run without");
        }
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(gcloud.toString(), "beta", "emulators", "pubsub", "start",
                "--project=" + PROJECT, "--host-port=127.0.0.1:" + port).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        PubSubEmulator emulator = new PubSubEmulator(process, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!LocalEmulator.listening(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                emulator.close();
                throw new IllegalStateException("the Pub/Sub emulator did not start on port " + port + "; see " + log);
            }
            Thread.sleep(250);
        }
        return emulator;
    }

    String host() {
        return "127.0.0.1:" + port;
    }

    void createTopic(String topic) throws IOException, InterruptedException {
        put("/topics/" + topic, "{}");
    }

    void createPushSubscription(String name, String topic, String endpoint) throws IOException, InterruptedException {
        put("/subscriptions/" + name, "{\"topic\":\"projects/" + PROJECT + "/topics/" + topic + "\",\"pushConfig\":"
                + "{\"pushEndpoint\":\"" + endpoint + "\"},\"ackDeadlineSeconds\":600}");
    }

    void createPullSubscription(String name, String topic) throws IOException, InterruptedException {
        put("/subscriptions/" + name, "{\"topic\":\"projects/" + PROJECT + "/topics/" + topic + "\"}");
    }

    /** The base URL of the emulator's REST API for this project. */
    String restBase() {
        return "http://" + host() + "/v1/projects/" + PROJECT;
    }

    private void put(String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(restBase() + path))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        // 409: it exists already (a previous run of the same emulator)
        if (r.statusCode() != 200 && r.statusCode() != 409) {
            throw new IOException("Pub/Sub emulator: PUT " + path + " answered " + r.statusCode() + " " + r.body());
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
