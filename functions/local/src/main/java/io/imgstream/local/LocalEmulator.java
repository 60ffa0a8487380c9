package io.imgstream.local;

import io.imgstream.dev.Deployment;
import io.imgstream.dev.EmbeddedPostgresServer;
import io.imgstream.dev.SchemaMigrator;
import io.imgstream.dev.gateway.Gateway;
import io.imgstream.dev.gateway.RateLimiter;
import io.imgstream.dev.gateway.RoutingTable;
import io.imgstream.application.AdministerAccounts;
import io.imgstream.application.AuthenticateCaller;
import io.imgstream.config.EnvironmentCheck;
import io.imgstream.config.InvalidConfigurationException;
import io.imgstream.config.MissingConfigurationException;
import io.imgstream.domain.ImgStreamException;
import io.micronaut.context.ApplicationContext;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * All four functions on 127.0.0.1 as Cloud Run would run them (each its own JVM under the Functions
 * Framework invoker, from its deployable jar), with an embedded PostgreSQL 15 and filesystem storage
 * under {@code IMGSTREAM_HOME}, kept across restarts, and in front of them the local gateway: every public route on
 * one port ({@code IMGSTREAM_GATEWAY_PORT}, default 8080) by the front door's routing table. Ctrl-C (or SIGTERM) stops
 * everything.
 */
final class LocalEmulator {

    static final String DATABASE = "imgstream";
    private static final PrintStream OUT = System.out;

    /**
     * A function of the product as Terraform defines it ({@link Deployment}): its name in local.json, module, entry
     * point, the port it answers on here, and the JVM options Terraform gives it (variable {@code java_tool_options}).
     */
    record FunctionSpec(String key, String module, String target, int port, String defaultJavaOptions) {
    }

    private final LocalSettings settings;
    private final Map<String, String> env;
    private final List<Process> children = new ArrayList<>();
    private final List<Integer> childPorts = new ArrayList<>();
    private Map<String, String> childEnv;
    private volatile boolean stopping;
    private Supervisor supervisor;
    private HomeLock homeLock;
    private EmbeddedPostgresServer postgres;
    private CleanupProxy cleanupProxy;
    private PubSubEmulator pubsub;
    private Gateway gateway;
    private RateLimiter limiter;
    private final CountDownLatch stopped = new CountDownLatch(1);

    LocalEmulator(LocalSettings settings, Map<String, String> env) {
        this.settings = settings;
        this.env = env;
    }

    static void main(String[] args) throws Exception {
        LocalSettings settings;
        try {
            settings = LocalSettings.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("imgstream: the emulator could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        LocalEmulator emulator = new LocalEmulator(settings, System.getenv());
        Runtime.getRuntime().addShutdownHook(new Thread(emulator::stop, "emulator-stop"));
        try {
            emulator.start();
        } catch (Exception e) {
            System.err.println("imgstream: the emulator could not start: " + reason(e));
            emulator.stop();
            System.exit(1);
        }
        emulator.stopped.await();
    }

    /**
     * The one line that says what is wrong: a setting the functions refuse (FETCH_URL, ALLOWED_ORIGINS…) arrives wrapped
     * in Micronaut's bean-instantiation message with its bean path; the setting's own message is the answer.
     */
    static String reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidConfigurationException || t instanceof MissingConfigurationException) {
                return t.getMessage();
            }
        }
        return failure.getMessage();
    }

    /** Terraform's functions, in its order, on the ports from {@code basePort} up. */
    static List<FunctionSpec> functions(int basePort) {
        List<Deployment.Function> deployed = Deployment.functions();
        List<FunctionSpec> specs = new ArrayList<>();
        for (int i = 0; i < deployed.size(); i++) {
            Deployment.Function f = deployed.get(i);
            specs.add(new FunctionSpec(f.jsonName(), f.module(), f.emulatorEntryPoint(), basePort + i, f.javaToolOptions()));
        }
        return List.copyOf(specs);
    }

    Map<String, String> keys() throws IOException {
        return LocalJson.readUsers(settings.localJson());
    }

    void start() throws Exception {
        long t0 = System.nanoTime();
        EnvironmentCheck.verify(env); // every function would refuse it; say so once, before starting anything
        limiter = RateLimiter.fromEnvironment(env);
        homeLock = HomeLock.acquire(settings.home());
        requireFreePorts();
        Files.createDirectories(settings.storage());
        String databaseUrl = startDatabase();
        Map<String, String> keys = ensureUsers(databaseUrl);

        childEnv = new HashMap<>(env);
        childEnv.put("DATABASE_URL", databaseUrl);
        childEnv.putIfAbsent("ENVIRONMENT", "development");
        childEnv.putIfAbsent("LOG_FORMAT", "text"); // readable lines on the console; LOG_FORMAT=json for Cloud Logging's
        if (!childEnv.containsKey("GCS_BUCKET_NAME")) {
            childEnv.put("LOCAL_STORAGE_DIR", settings.storage().toString());
        }
        childEnv.remove("K_SERVICE");
        // An upload's Location then names the image where a client can read it: at the one base URL, the gateway, as
        // the deployed functions name the front door's when it is on
        String gatewayUrl = "http://" + Gateway.HOST + ":" + settings.gatewayPort();
        childEnv.putIfAbsent("FETCH_URL", gatewayUrl);
        // and the served API document names that same base URL as its server (on whatever port the gateway has)
        childEnv.putIfAbsent("API_BASE_URL", gatewayUrl);

        if (pubsubRequested()) {
            startPubSub(childEnv);
        }

        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("gateway", gatewayUrl);
        for (FunctionSpec spec : functions(settings.basePort())) {
            boolean cleanup = spec.key().equals("cleanup");
            int port = cleanup ? CleanupProxy.freePort() : spec.port();
            children.add(spawn(spec, port, childEnv));
            childPorts.add(port);
            urls.put(spec.key(), "http://127.0.0.1:" + spec.port());
            if (cleanup) {
                int index = children.size() - 1;
                cleanupProxy = CleanupProxy.start(spec.port(), port, databaseUrl, settings.storage(),
                        () -> child(index), settings.cleanupInterval());
            }
        }
        for (FunctionSpec spec : functions(settings.basePort())) {
            awaitHealthy(spec, Duration.ofMinutes(3));
        }
        Map<String, URI> backends = new LinkedHashMap<>();
        for (FunctionSpec spec : functions(settings.basePort())) {
            backends.put(spec.module(), URI.create("http://127.0.0.1:" + spec.port()));
        }
        gateway = Gateway.start(settings.gatewayPort(), RoutingTable.load(), backends, limiter);
        supervisor = Supervisor.start(this);
        if (pubsub != null) {
            // once the cleanup port answers: Pub/Sub pushes each cleanup message to it, as the deployed subscription does
            pubsub.createPushSubscription(PubSubEmulator.CLEANUP_PUSH, PubSubEmulator.CLEANUP_TOPIC, urls.get("cleanup") + "/");
        }
        LocalJson.write(settings.localJson(), urls, keys, databaseUrl, settings.storage());
        printBanner(urls, keys, Duration.ofNanos(System.nanoTime() - t0));
    }

    /** {@code IMGSTREAM_PUBSUB_EMULATOR=1} (or true): run the Google Cloud CLI's Pub/Sub emulator beside the functions. */
    boolean pubsubRequested() {
        String value = env.getOrDefault("IMGSTREAM_PUBSUB_EMULATOR", "").trim().toLowerCase(java.util.Locale.ROOT);
        return value.equals("1") || value.equals("true") || value.equals("yes") || value.equals("on");
    }

    /** The emulator on {@code IMGSTREAM_PUBSUB_PORT} (default 8085), its topics, and the functions pointed at it. */
    private void startPubSub(Map<String, String> childEnv) throws Exception {
        int port = Integer.parseInt(env.getOrDefault("IMGSTREAM_PUBSUB_PORT", "8085").trim());
        pubsub = PubSubEmulator.start(port, settings.home().resolve("pubsub-emulator.log"));
        pubsub.createTopic(PubSubEmulator.CLEANUP_TOPIC);
        pubsub.createTopic(PubSubEmulator.EVENTS_TOPIC);
        pubsub.createPullSubscription(PubSubEmulator.EVENTS_PULL, PubSubEmulator.EVENTS_TOPIC);
        childEnv.put("PUBSUB_EMULATOR_HOST", pubsub.host());
        childEnv.putIfAbsent("GOOGLE_CLOUD_PROJECT", PubSubEmulator.PROJECT);
        childEnv.putIfAbsent("EVENTS_TOPIC", PubSubEmulator.EVENTS_TOPIC);
        OUT.println("imgstream: Pub/Sub emulator on " + pubsub.host() + " (project " + PubSubEmulator.PROJECT + "): topics "
                + PubSubEmulator.CLEANUP_TOPIC + " (pushed to the cleanup port) and " + PubSubEmulator.EVENTS_TOPIC
                + " (image events; pull subscription " + PubSubEmulator.EVENTS_PULL + ")");
    }

    /** The Pub/Sub emulator's host:port, null when it is not running. */
    String pubsubHost() {
        return pubsub == null ? null : pubsub.host();
    }

    /**
     * The four function ports, checked before anything starts: a port held by another program made a function die
     * after PostgreSQL had started, with Java's bare "Address already in use".
     */
    void requireFreePorts() throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.gatewayPort()), 1);
        } catch (BindException e) {
            throw new IOException("port " + settings.gatewayPort() + " (the gateway) on 127.0.0.1 is in use; stop what holds"
                    + " it, or set IMGSTREAM_GATEWAY_PORT.", e);
        }
        for (FunctionSpec spec : functions(settings.basePort())) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), spec.port()), 1);
            } catch (BindException e) {
                throw new IOException("port " + spec.port() + " (" + spec.module() + ") on 127.0.0.1 is in use; stop what"
                        + " holds it, or set IMGSTREAM_BASE_PORT to move all four functions (it and the next three ports).", e);
            }
        }
    }

    private String startDatabase() throws IOException {
        String external = env.get("DATABASE_URL");
        String url;
        if (external != null && !external.isBlank()) {
            url = external;
            OUT.println("imgstream: using DATABASE_URL instead of the embedded PostgreSQL");
        } else {
            // start() holds the home's lock, so no other emulator can be using this data directory.
            postgres = EmbeddedPostgresServer.start(settings.postgresData(), settings.postgresPort(), true);
            postgres.createDatabase(DATABASE);
            url = postgres.jdbcUrl(DATABASE);
        }
        int applied = SchemaMigrator.migrate(url);
        // A 201 is a promise: say that a commit survives a crash of the server (or that it would not).
        String durability = postgres == null ? null : postgres.durability();
        OUT.println("imgstream: PostgreSQL ready" + (postgres != null ? " on port " + postgres.port() + " ("
                + (durability.contains("=off") ? "NOT durable: " : "durable commits: ") + durability + ")" : "")
                + (applied > 0 ? ", " + applied + " migration(s) applied" : ", schema up to date"));
        return url;
    }

    /** Keeps the keys of the previous run when they still work, so a restart does not invalidate scripts. */
    private Map<String, String> ensureUsers(String databaseUrl) throws IOException {
        Map<String, String> previous = LocalJson.readUsers(settings.localJson());
        Map<String, String> keys = new LinkedHashMap<>();
        try (ApplicationContext ctx = AdminCli.context(databaseUrl, settings.storage())) {
            AdministerAccounts admin = ctx.getBean(AdministerAccounts.class);
            AuthenticateCaller authenticate = ctx.getBean(AuthenticateCaller.class);
            for (String user : settings.devUsers()) {
                try {
                    admin.findOrCreateUser(user);
                } catch (ImgStreamException e) {
                    throw new IllegalArgumentException("IMGSTREAM_DEV_USERS names '" + user + "': " + e.detail(), e);
                }
                String key = previous.get(user);
                if (key != null) {
                    try {
                        authenticate.authenticate(null, key);
                    } catch (ImgStreamException e) {
                        key = null;
                    }
                }
                keys.put(user, key != null ? key : admin.createKey(user, "local emulator").key());
            }
        }
        return keys;
    }

    private Process spawn(FunctionSpec spec, int port, Map<String, String> childEnv) throws IOException {
        Path root = Path.of(System.getProperty("imgstream.root", ".")).toAbsolutePath().normalize();
        Path jar = root.resolve("functions").resolve(spec.module()).resolve("target")
                .resolve("imgstream-" + spec.module() + "-function.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing; build with: mvn -DskipTests package");
        }
        jar = privateCopy(jar, settings.home().resolve("run"));
        // The emulator's own class path: the shaded jar, or target/classes and its dependencies in tests.
        String self = System.getProperty("java.class.path");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("-Dimgstream.function=" + spec.key()); // names the process for a fault probe (jps -lv, ps)
        for (String opt : env.getOrDefault("IMGSTREAM_FUNCTION_JAVA_OPTS", spec.defaultJavaOptions()).split("\\s+")) {
            if (!opt.isBlank()) {
                command.add(opt);
            }
        }
        command.addAll(List.of("-cp", self, FunctionProcess.class.getName(),
                "--target", spec.target(), "--classpath", jar.toString(), "--port", Integer.toString(port)));
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.environment().clear();
        pb.environment().putAll(childEnv);
        Process process = pb.start();
        pump(process.getInputStream(), spec.key(), OUT);
        pump(process.getErrorStream(), spec.key(), System.err);
        return process;
    }

    /**
     * A copy of {@code jar} that only this emulator uses. Maven rewrites {@code target/*.jar} in place, so running
     * {@code mvn verify} beside the emulator would pull classes out from under a running function ("invalid LOC
     * header" on the next class it loads). Written beside and renamed into place: a process still reading the
     * previous copy keeps its own file.
     */
    static Path privateCopy(Path jar, Path directory) throws IOException {
        Files.createDirectories(directory);
        Path target = directory.resolve(jar.getFileName());
        Path partial = Files.createTempFile(directory, jar.getFileName().toString(), ".partial");
        try {
            Files.copy(jar, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        return target;
    }

    private static void pump(InputStream in, String name, PrintStream out) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.println("[" + name + "] " + line);
                }
            } catch (IOException ignored) {
                // the child is gone
            }
        }, "log-" + name);
        t.setDaemon(true);
        t.start();
    }

    private void awaitHealthy(FunctionSpec spec, Duration timeout) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        Process process = children.get(functions(settings.basePort()).indexOf(spec));
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the " + spec.key() + " function exited with " + process.exitValue());
            }
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + spec.port() + "/health")).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the " + spec.key() + " function did not become healthy within " + timeout);
    }

    private void printBanner(Map<String, String> urls, Map<String, String> keys, Duration took) {
        OUT.println();
        OUT.println("ImgStream Functions is running locally (started in " + took.toMillis() / 100 / 10.0 + " s)");
        OUT.println("  One base URL for clients (every public route; the function ports below are for debugging):");
        urls.forEach((k, v) -> OUT.printf("  %-15s %s%n", k, v));
        if (gateway != null && limiter != null) {
            OUT.printf("  rate limits     %d requests/min per client IP, %d per API key (429 with Retry-After)%n",
                    limiter.perIp(), limiter.perKey());
        }
        OUT.println("  data            " + settings.home());
        keys.forEach((user, key) -> OUT.printf("  API key of %-4s %s%n", user, key));
        OUT.println("  written to      " + settings.localJson());
        String anyKey = keys.values().stream().findFirst().orElse("<key>");
        OUT.println();
        OUT.println("Try:  curl -H 'Authorization: Bearer " + anyKey + "' " + urls.get("gateway") + "/images");
        if (pubsub != null) {
            OUT.println("Cleanup through Pub/Sub, as Scheduler drives it (the emulator pushes to " + urls.get("cleanup") + "/):");
            OUT.println("  export CLOUDSDK_API_ENDPOINT_OVERRIDES_PUBSUB=http://" + pubsub.host() + "/");
            OUT.println("  export CLOUDSDK_AUTH_ACCESS_TOKEN_FILE=$(mktemp); echo emulator > \"$CLOUDSDK_AUTH_ACCESS_TOKEN_FILE\""
                    + "   # gcloud wants a token; the emulator checks none");
            OUT.println("  gcloud pubsub topics publish " + PubSubEmulator.CLEANUP_TOPIC + " --project=" + PubSubEmulator.PROJECT
                    + " --message='{}'");
            OUT.println("Image events:  gcloud pubsub subscriptions pull " + PubSubEmulator.EVENTS_PULL + " --project="
                    + PubSubEmulator.PROJECT + " --auto-ack --limit=10");
        }
        OUT.println("Stop with Ctrl-C.");
        OUT.println("imgstream: ready");
    }

    synchronized Process child(int index) {
        return children.get(index);
    }

    /** The embedded server, null when DATABASE_URL names another. */
    EmbeddedPostgresServer postgres() {
        return postgres;
    }

    boolean stopping() {
        return stopping;
    }

    /** Starts function {@code index} again on its port after its process died (called by the supervisor). */
    synchronized void respawn(int index) throws IOException {
        if (stopping) {
            return;
        }
        FunctionSpec spec = functions(settings.basePort()).get(index);
        children.set(index, spawn(spec, childPorts.get(index), childEnv));
    }

    void awaitStop() throws InterruptedException {
        stopped.await();
    }

    void stop() {
        stopping = true; // first, and outside the lock: the supervisor must not start what is being stopped
        if (supervisor != null) {
            supervisor.stop();
        }
        stopAll();
    }

    private synchronized void stopAll() {
        if (stopped.getCount() == 0) {
            return;
        }
        if (gateway != null) {
            try {
                gateway.close();
            } catch (Exception e) {
                System.err.println("imgstream: the gateway did not stop cleanly: " + e.getMessage());
            }
        }
        if (cleanupProxy != null) {
            cleanupProxy.stop();
        }
        for (Process p : children) {
            p.destroy();
        }
        for (Process p : children) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        if (pubsub != null) {
            pubsub.close();
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                System.err.println("imgstream: PostgreSQL did not stop cleanly: " + e.getMessage());
            }
        }
        if (homeLock != null) {
            try {
                homeLock.close();
            } catch (IOException e) {
                System.err.println("imgstream: could not release " + HomeLock.FILE + ": " + e.getMessage());
            }
        }
        stopped.countDown();
    }

    /**
     * This process's environment for an emulator of its own on {@code home} at {@code basePort} (the fault suite, the
     * tests that start the whole system): without DATABASE_URL and GCS_BUCKET_NAME, so that it runs its own PostgreSQL
     * and storage under home, and with {@code devUsers} as its users (null: the default). A mutable copy.
     */
    static Map<String, String> isolatedEnvironment(Path home, int basePort, String devUsers) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("IMGSTREAM_HOME", home.toString());
        env.put("IMGSTREAM_BASE_PORT", Integer.toString(basePort));
        if (devUsers != null) {
            env.put("IMGSTREAM_DEV_USERS", devUsers);
        }
        env.remove("DATABASE_URL");
        env.remove("GCS_BUCKET_NAME");
        return env;
    }

    /**
     * A base port for IMGSTREAM_BASE_PORT with it, the next three (the functions) and the one before (the gateway's
     * default) free on loopback, for the fault suite and the tests.
     */
    static int freeBasePort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int candidate = 20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(20_000);
            boolean free = true;
            for (int p = candidate - 1; p < candidate + 4 && free; p++) {
                try (ServerSocket s = new ServerSocket(p)) {
                    s.setReuseAddress(true);
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return candidate;
            }
        }
        throw new IOException("no five free ports");
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
