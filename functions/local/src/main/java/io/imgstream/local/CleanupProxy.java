package io.imgstream.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.imgstream.application.CheckHealth;
import io.imgstream.domain.ErrorCode;
import io.imgstream.json.JsonStrings;
import io.imgstream.web.Problem;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The cleanup port of the emulator. A CloudEvent function answers every request as an event, so it has no
 * route of its own for {@code /health}; this front answers {@code /health} (the function's process, its
 * database and its storage) and passes every CloudEvent, byte for byte, to the function, which therefore
 * receives exactly what Eventarc would post; other requests, which Eventarc never sends, get a problem. With
 * {@code IMGSTREAM_LOCAL_CLEANUP_INTERVAL} it also plays Cloud Scheduler.
 */
final class CleanupProxy {

    private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length", "transfer-encoding",
            "keep-alive", "upgrade", "expect");

    private final HttpServer server;
    private final ScheduledExecutorService scheduler;

    private CleanupProxy(HttpServer server, ScheduledExecutorService scheduler) {
        this.server = server;
        this.scheduler = scheduler;
    }

    static CleanupProxy start(int publicPort, int functionPort, String databaseUrl, Path storage, java.util.function.Supplier<Process> function,
                              Duration interval) throws IOException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", publicPort), 64);
        server.createContext("/", exchange -> {
            try {
                if (exchange.getRequestURI().getPath().equals("/health")) {
                    health(exchange, functionPort, databaseUrl, storage, function);
                } else {
                    Refusal refusal = refusal(exchange);
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    if (refusal == null) {
                        forward(exchange, client, functionPort, body, null);
                    } else {
                        java.util.Optional<String> pushed = refusal.code() == ErrorCode.BAD_REQUEST
                                ? pushAsCloudEvent(body) : java.util.Optional.empty();
                        if (pushed.isPresent()) {
                            forward(exchange, client, functionPort, pushed.get().getBytes(StandardCharsets.UTF_8),
                                    "application/cloudevents+json");
                        } else {
                            problem(exchange, refusal.code(), refusal.detail());
                        }
                    }
                }
            } catch (Exception e) {
                problem(exchange, ErrorCode.SERVICE_UNAVAILABLE, "The cleanup function did not answer.");
            } finally {
                exchange.close();
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "cleanup-proxy");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        ScheduledExecutorService scheduler = null;
        if (interval != null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "local-scheduler");
                t.setDaemon(true);
                return t;
            });
            scheduler.scheduleWithFixedDelay(() -> trigger(client, functionPort), interval.toMillis(),
                    interval.toMillis(), TimeUnit.MILLISECONDS);
            System.out.println("imgstream: cleanup will run every " + interval + " (IMGSTREAM_LOCAL_CLEANUP_INTERVAL)");
        }
        return new CleanupProxy(server, scheduler);
    }

    void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        server.stop(0);
    }

    /** What Cloud Scheduler → Pub/Sub → Eventarc delivers: a structured messagePublished CloudEvent. */
    static String scheduledEvent(String messageJson) {
        String data = Base64.getEncoder().encodeToString(messageJson.getBytes(StandardCharsets.UTF_8));
        return "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\","
                + "\"source\":\"//pubsub.googleapis.com/projects/local/topics/imgstream-cleanup\","
                + "\"type\":\"google.cloud.pubsub.topic.v1.messagePublished\",\"datacontenttype\":\"application/json\","
                + "\"time\":\"" + Instant.now() + "\",\"data\":{\"message\":{\"data\":\"" + data + "\",\"messageId\":\""
                + System.nanoTime() + "\",\"publishTime\":\"" + Instant.now() + "\"},"
                + "\"subscription\":\"projects/local/subscriptions/imgstream-cleanup\"}}";
    }

    private static void trigger(HttpClient client, int functionPort) {
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + functionPort + "/"))
                    .header("Content-Type", "application/cloudevents+json")
                    .POST(HttpRequest.BodyPublishers.ofString(scheduledEvent("{}"))).build(), HttpResponse.BodyHandlers.ofString());
            System.out.println("imgstream: scheduled cleanup answered " + r.statusCode());
        } catch (IOException | InterruptedException e) {
            System.err.println("imgstream: scheduled cleanup failed: " + e.getMessage());
        }
    }

    private static void health(HttpExchange exchange, int functionPort, String databaseUrl, Path storage,
                               java.util.function.Supplier<Process> function) throws IOException {
        String fn = function.get().isAlive() && LocalEmulator.listening(functionPort) ? "up" : "down";
        String db;
        // Bounded as the functions' pools are: a hung server makes this "down" within 3 s, never a hanging /health.
        java.util.Properties bounds = new java.util.Properties();
        bounds.setProperty("connectTimeout", "3");
        bounds.setProperty("loginTimeout", "3");
        bounds.setProperty("socketTimeout", "3");
        try (Connection c = DriverManager.getConnection(databaseUrl, bounds)) {
            db = c.isValid(2) ? "up" : "down";
        } catch (Exception e) {
            db = "down";
        }
        String st = Files.isDirectory(storage) && Files.isWritable(storage) ? "up" : "down";
        boolean up = fn.equals("up") && db.equals("up") && st.equals("up");
        respond(exchange, up ? 200 : 503, "application/json", "{\"status\":\"" + (up ? "ok" : "unavailable")
                + "\",\"timestamp\":\"" + Instant.now() + "\",\"version\":\"" + CheckHealth.version()
                + "\",\"services\":{\"database\":\"" + db + "\",\"storage\":\"" + st + "\",\"function\":\"" + fn + "\"}}");
    }

    /** Why a request is not passed to the function. */
    record Refusal(ErrorCode code, String detail) {
    }

    /**
     * Requests Eventarc never sends: the function's invoker would fail on them with an empty 500 while parsing them
     * as a legacy event. In production only the Eventarc identity may call the function; here a developer's stray
     * request gets a problem that says what the port takes. Null for a CloudEvent (binary or structured mode).
     */
    static Refusal refusal(HttpExchange exchange) {
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.getResponseHeaders().set("Allow", "POST");
            return new Refusal(ErrorCode.METHOD_NOT_ALLOWED,
                    "The cleanup function takes a POSTed messagePublished CloudEvent (GET /health for its health).");
        }
        String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"))
                .toLowerCase(java.util.Locale.ROOT);
        boolean binary = exchange.getRequestHeaders().getFirst("ce-specversion") != null;
        boolean structured = contentType.startsWith("application/cloudevents+json");
        if (!binary && !structured) {
            return new Refusal(ErrorCode.BAD_REQUEST, "Neither a CloudEvent nor a Pub/Sub push request: send the"
                    + " google.cloud.pubsub.topic.v1.messagePublished event Eventarc delivers (ce-* headers, or"
                    + " Content-Type application/cloudevents+json), or a push request"
                    + " ({\"message\":{\"data\":…},\"subscription\":…}); see README, Cleanup.");
        }
        return null;
    }

    /**
     * A Pub/Sub push request ({@code {"message":{"data":…,"attributes":…,"messageId":…,"publishTime":…},
     * "subscription":…}}, what a push subscription of the gcloud emulator or of Pub/Sub itself POSTs) as the structured
     * messagePublished CloudEvent Eventarc would deliver for the same message: its {@code data} is the push body
     * itself, exactly as Eventarc's is. Empty when the body is not such a request. The answer goes back unchanged, so
     * acknowledgement is as Pub/Sub expects: a 2xx acks (the function acks a message it cannot parse, and logs it), a
     * 5xx (a failing run) makes Pub/Sub redeliver.
     */
    static java.util.Optional<String> pushAsCloudEvent(byte[] body) {
        io.micronaut.json.tree.JsonNode push;
        try {
            push = io.imgstream.json.StrictJson.read(body);
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
        io.micronaut.json.tree.JsonNode message = push.isObject() ? push.get("message") : null;
        if (message == null || !message.isObject()) {
            return java.util.Optional.empty();
        }
        String id = text(message, "messageId", UUID.randomUUID().toString());
        String time = text(message, "publishTime", Instant.now().toString());
        String subscription = push.get("subscription") != null && push.get("subscription").isString()
                ? push.get("subscription").getStringValue() : "projects/local/subscriptions/imgstream-cleanup";
        return java.util.Optional.of("{\"specversion\":\"1.0\",\"id\":" + JsonStrings.quote(id)
                + ",\"source\":" + JsonStrings.quote("//pubsub.googleapis.com/" + subscription)
                + ",\"type\":\"google.cloud.pubsub.topic.v1.messagePublished\",\"datacontenttype\":\"application/json\""
                + ",\"time\":" + JsonStrings.quote(time) + ",\"data\":" + new String(body, StandardCharsets.UTF_8).strip() + "}");
    }

    private static String text(io.micronaut.json.tree.JsonNode object, String field, String fallback) {
        io.micronaut.json.tree.JsonNode value = object.get(field);
        return value != null && value.isString() && !value.getStringValue().isBlank() ? value.getStringValue() : fallback;
    }

    private static void problem(HttpExchange exchange, ErrorCode code, String detail) throws IOException {
        respond(exchange, code.status(), Problem.MEDIA_TYPE, Problem.json(code, detail));
    }

    /** @param contentType the Content-Type to send instead of the request's (a converted push request), or null */
    private static void forward(HttpExchange exchange, HttpClient client, int functionPort, byte[] body, String contentType)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + functionPort
                        + exchange.getRequestURI().getRawPath()
                        + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery())))
                .timeout(Duration.ofMinutes(10))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase()) && !(contentType != null && name.equalsIgnoreCase("Content-Type"))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        response.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        byte[] out = response.body();
        exchange.sendResponseHeaders(response.statusCode(), out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(bytes);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
