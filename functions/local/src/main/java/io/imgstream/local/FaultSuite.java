package io.imgstream.local;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The project's own fault suite ({@code ./bench faults}, and a smaller run in the tests): a running emulator under load
 * of concurrent clients — unique uploads, same-name races under every policy, metadata reads, lists, collision checks —
 * while real faults are injected into real processes: the embedded PostgreSQL killed (SIGKILL of its postmaster,
 * through its pid file) round after round, then hung (SIGSTOP of its process group: a frozen VM or a partition) and
 * resumed, then the upload function's process killed. It prints totals, status classes and p50/p99 per route per phase,
 * the bounds seen during the hang, the restart and recovery times, and the invariants: every acknowledged write present
 * (row and object, SHA-256 checked), no live row without its object, at most one 201 per name under {@code reject}.
 */
public final class FaultSuite {

    /** How hard and how long. */
    public record Settings(int clients, Duration load, int killRounds, Duration hang) {
        /** The figures: 32 clients for 60 s, 10 kills, an 8 s hang. */
        static Settings full() {
            return new Settings(32, Duration.ofSeconds(60), 10, Duration.ofSeconds(8));
        }

        /** The test suite's run: the same scenarios, shorter. */
        public static Settings quick() {
            return new Settings(8, Duration.ofSeconds(8), 3, Duration.ofSeconds(8));
        }
    }

    /** A request's outcome. */
    record Sample(String phase, String route, int status, long micros, long startNanos) {
    }

    /** What one probe during the hang saw. */
    public record Probe(String what, int status, long millis, boolean problem, boolean retryAfter, String body) {
    }

    /** The figures a run gives; the invariants are counts that must be 0. */
    public record Report(int acknowledged, int lost, int liveWithoutObject, int rejectRacesWithTwoWinners,
                         int serverErrorsUnderLoad, int internalErrors, List<Long> postgresRestartMillis,
                         List<Probe> hangProbes, long slowestDuringHangMillis, long recoveryMillis,
                         long functionRestartMillis, Map<String, String> table, boolean durable) {
    }

    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
    private static final Pattern SHA = Pattern.compile("\"sha256\":\"([0-9a-f]{64})\"");
    private static final String[] POLICIES = {"reject", "overwrite", "rename", "skip"};

    private final LocalEmulator emulator;
    private final Path home;
    private final int base;
    private final String key;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final Map<String, String> acked = new ConcurrentHashMap<>(); // image id → sha256 of a 201
    private final List<String> ackedIds = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> rejectWinners = new ConcurrentHashMap<>();
    private volatile String phase = "load";

    private FaultSuite(LocalEmulator emulator, Path home, int base, String key) {
        this.emulator = emulator;
        this.home = home;
        this.base = base;
        this.key = key;
    }

    public static void main(String[] args) throws Exception {
        Settings settings = args.length > 0 && args[0].equals("--quick") ? Settings.quick() : Settings.full();
        Path home = Files.createTempDirectory("imgstream-faults");
        Report report = run(settings, home, System.out);
        boolean held = report.lost() == 0 && report.liveWithoutObject() == 0 && report.rejectRacesWithTwoWinners() == 0
                && report.internalErrors() == 0;
        System.exit(held ? 0 : 1);
    }

    /** Starts an emulator on {@code home} (any free ports), runs every scenario, stops it, and reports. */
    public static Report run(Settings settings, Path home, PrintStream out) throws Exception {
        int base = LocalEmulator.freeBasePort();
        Map<String, String> env = LocalEmulator.isolatedEnvironment(home, base, "faults");
        env.remove("IMGSTREAM_LOCAL_CLEANUP_INTERVAL");
        LocalEmulator emulator = new LocalEmulator(LocalSettings.fromEnvironment(env), env);
        try {
            emulator.start();
            FaultSuite suite = new FaultSuite(emulator, home, base, emulator.keys().get("faults"));
            return suite.scenarios(settings, out);
        } finally {
            emulator.stop();
        }
    }

    private Report scenarios(Settings settings, PrintStream out) throws Exception {
        out.printf("fault suite: %d clients, load %d s, %d PostgreSQL kills, a %d s hang%n", settings.clients(),
                settings.load().toSeconds(), settings.killRounds(), settings.hang().toSeconds());
        boolean durable = emulator.postgres().durable();

        phase = "load";
        try (Load load = new Load(settings.clients())) {
            Thread.sleep(settings.load().toMillis());
        }

        phase = "postgres-kill";
        List<Long> restarts = new ArrayList<>();
        try (Load load = new Load(settings.clients())) {
            for (int round = 0; round < settings.killRounds(); round++) {
                Thread.sleep(5000); // longer than the supervisor's crash-loop window: each kill is a first crash
                long pid = emulator.postgres().pid().orElseThrow();
                signal("KILL", Long.toString(pid));
                long t0 = System.nanoTime();
                awaitDatabase(pid, Duration.ofSeconds(60));
                restarts.add((System.nanoTime() - t0) / 1_000_000);
            }
            Thread.sleep(1500);
        }

        phase = "postgres-hang";
        List<Probe> probes = new CopyOnWriteArrayList<>();
        long recovery;
        long hangStart;
        long hangEnd;
        try (Load load = new Load(settings.clients())) {
            Thread.sleep(1000);
            // The whole server, as a frozen VM: the postmaster and every child (each PostgreSQL child is the leader of a
            // process group of its own, so a signal to the postmaster's group would stop the postmaster alone).
            List<String> server = serverProcesses();
            signal("STOP", server.get(0)); // the postmaster: it must exist
            // A backend forked between the listing and the postmaster's stop (a pool opening a connection under load)
            // would serve on through the "hang": list again now that the postmaster can fork no more.
            server = serverProcesses();
            for (String pid : server.subList(1, server.size())) {
                signalIfAlive("STOP", pid);
            }
            hangStart = System.nanoTime();
            try {
                Thread.sleep(1000); // pooled connections now sit on a server that no longer reads
                List<Thread> threads = new ArrayList<>();
                for (Map.Entry<String, HttpRequest> probe : hangProbes().entrySet()) {
                    Thread t = new Thread(() -> probes.add(probe(probe.getKey(), probe.getValue())));
                    t.start();
                    threads.add(t);
                }
                for (Thread t : threads) {
                    t.join();
                }
                long left = settings.hang().toNanos() - (System.nanoTime() - hangStart);
                if (left > 0) {
                    Thread.sleep(left / 1_000_000);
                }
            } finally {
                for (String pid : server) {
                    signalIfAlive("CONT", pid);
                }
            }
            hangEnd = System.nanoTime();
            recovery = awaitRecovery(Duration.ofSeconds(60));
        }
        long slowest = samples.stream().filter(s -> s.phase().equals("postgres-hang"))
                .filter(s -> s.startNanos() >= hangStart && s.startNanos() < hangEnd)
                .mapToLong(s -> s.micros() / 1000).max().orElse(0);

        phase = "function-kill";
        Process upload = emulator.child(0);
        long functionRestart;
        try (Load load = new Load(Math.max(2, settings.clients() / 4))) {
            Thread.sleep(1000);
            signal("KILL", Long.toString(upload.pid()));
            long t0 = System.nanoTime();
            awaitHealthy(base, Duration.ofSeconds(120));
            functionRestart = (System.nanoTime() - t0) / 1_000_000;
            Thread.sleep(1000);
        }

        Verification v = verify();
        Map<String, String> table = table();
        int serverErrorsUnderLoad = (int) samples.stream().filter(s -> s.phase().equals("load") && s.status() >= 500).count();
        // A 500 is a bug anywhere; no answer at all is only expected from the function that was killed mid-request.
        int internal = (int) samples.stream().filter(s -> s.status() == 500
                || (s.status() < 0 && !s.phase().equals("function-kill"))).count();
        int twoWinners = (int) rejectWinners.values().stream().filter(n -> n.get() > 1).count();
        Report report = new Report(acked.size(), v.lost(), v.liveWithoutObject(), twoWinners, serverErrorsUnderLoad, internal,
                restarts, probes, slowest, recovery, functionRestart, table, durable);
        print(report, out);
        return report;
    }

    // ---- load

    /** Clients that run until closed. */
    private final class Load implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        Load(int clients) {
            for (int i = 0; i < clients; i++) {
                int client = i;
                Thread t = new Thread(() -> {
                    while (running.get()) {
                        act(client);
                    }
                }, "fault-client-" + i);
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(60_000);
            }
        }
    }

    private void act(int client) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int dice = random.nextInt(100);
        try {
            if (dice < 40) {
                byte[] image = png();
                HttpResponse<String> r = send("upload", upload("u-" + client + "-" + System.nanoTime() + ".png", "reject", image));
                remember(r);
            } else if (dice < 60) {
                String policy = POLICIES[random.nextInt(POLICIES.length)];
                // a small pool of names, changing every second, so that clients collide on them
                String name = "race-" + policy + "-" + (System.currentTimeMillis() / 1000) + "-" + random.nextInt(3) + ".png";
                HttpResponse<String> r = send("upload-race", upload(name, policy, png()));
                if (r.statusCode() == 201) {
                    if (policy.equals("reject")) {
                        rejectWinners.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
                    }
                    remember(r);
                }
            } else if (dice < 80 && !ackedIds.isEmpty()) {
                String id = ackedIds.get(random.nextInt(ackedIds.size()));
                send("fetch-metadata", authorized(URI.create("http://127.0.0.1:" + (base + 1) + "/images/" + id)).GET().build());
            } else if (dice < 90) {
                send("fetch-list", authorized(URI.create("http://127.0.0.1:" + (base + 1) + "/images?limit=20")).GET().build());
            } else {
                send("collision-check", authorized(URI.create("http://127.0.0.1:" + (base + 2) + "/collision-check"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"filenames\":[\"a.png\",\"race-reject-1.png\",\"b.jpg\"]}"))
                        .build());
            }
        } catch (RuntimeException e) {
            // counted (status -1) in send
        }
    }

    private void remember(HttpResponse<String> r) {
        if (r.statusCode() != 201) {
            return;
        }
        Matcher id = ID.matcher(r.body());
        Matcher sha = SHA.matcher(r.body());
        if (id.find() && sha.find()) {
            acked.put(id.group(1), sha.group(1));
            ackedIds.add(id.group(1));
        }
    }

    private HttpRequest upload(String name, String policy, byte[] body) {
        return authorized(URI.create("http://127.0.0.1:" + base + "/images?filename=" + name + "&onConflict=" + policy))
                .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private HttpRequest.Builder authorized(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + key);
    }

    private HttpResponse<String> send(String route, HttpRequest request) {
        long t0 = System.nanoTime();
        String current = phase;
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            samples.add(new Sample(current, route, r.statusCode(), (System.nanoTime() - t0) / 1000, t0));
            return r;
        } catch (IOException e) {
            // the connection broke (a function process killed mid-request): a client sees no answer
            samples.add(new Sample(current, route, -1, (System.nanoTime() - t0) / 1000, t0));
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A small PNG of random pixels: every upload its own content. */
    static byte[] png() {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    // ---- the hang

    private Map<String, HttpRequest> hangProbes() {
        Map<String, HttpRequest> probes = new TreeMap<>();
        String[] names = {"upload", "fetch", "collision-check", "cleanup"};
        for (int i = 0; i < 4; i++) {
            probes.put("health " + names[i], HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (base + i) + "/health"))
                    .timeout(Duration.ofSeconds(30)).build());
        }
        probes.put("upload", upload("hang-" + System.nanoTime() + ".png", "reject", png()));
        probes.put("fetch list", authorized(URI.create("http://127.0.0.1:" + (base + 1) + "/images")).GET().build());
        probes.put("collision-check", authorized(URI.create("http://127.0.0.1:" + (base + 2) + "/collision-check"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"filenames\":[\"x.png\"]}")).build());
        return probes;
    }

    private Probe probe(String what, HttpRequest request) {
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            String type = r.headers().firstValue("Content-Type").orElse("");
            return new Probe(what, r.statusCode(), ms, type.startsWith("application/problem+json"),
                    r.headers().firstValue("Retry-After").isPresent(), r.body());
        } catch (Exception e) {
            return new Probe(what, -1, (System.nanoTime() - t0) / 1_000_000, false, false, e.toString());
        }
    }

    /** Milliseconds from the server's return until a data request of each HTTP function succeeds. */
    private long awaitRecovery(Duration timeout) throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        boolean listed = false;
        boolean checked = false;
        boolean uploaded = false;
        while (System.nanoTime() < deadline && !(listed && checked && uploaded)) {
            listed = listed || status(authorized(URI.create("http://127.0.0.1:" + (base + 1) + "/images?limit=1")).GET().build()) == 200;
            checked = checked || status(authorized(URI.create("http://127.0.0.1:" + (base + 2) + "/collision-check"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"filenames\":[\"y.png\"]}")).build()) == 200;
            uploaded = uploaded || status(upload("recovered-" + System.nanoTime() + ".png", "reject", png())) == 201;
            if (!(listed && checked && uploaded)) {
                Thread.sleep(100);
            }
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private int status(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void awaitHealthy(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (status(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(5)).build()) == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("port " + port + " did not become healthy within " + timeout);
    }

    /** Until a new postmaster (not {@code killed}) runs and answers a query: the emulator restarted it. */
    private void awaitDatabase(long killed, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (emulator.postgres().pid().orElse(killed) == killed || !emulator.postgres().alive()) {
                Thread.sleep(50);
                continue;
            }
            try (Connection c = database(); Statement st = c.createStatement()) {
                st.execute("select 1");
                return;
            } catch (Exception e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("PostgreSQL did not come back within " + timeout + " (no restart)");
    }

    private Connection database() throws Exception {
        Properties bounds = new Properties();
        bounds.setProperty("connectTimeout", "2");
        bounds.setProperty("loginTimeout", "2");
        bounds.setProperty("socketTimeout", "10");
        return DriverManager.getConnection(LocalJson.readDatabase(home.resolve("local.json")), bounds);
    }

    private List<String> serverProcesses() {
        ProcessHandle postmaster = ProcessHandle.of(emulator.postgres().pid().orElseThrow()).orElseThrow();
        List<String> pids = new ArrayList<>();
        pids.add(Long.toString(postmaster.pid()));
        postmaster.descendants().forEach(p -> pids.add(Long.toString(p.pid())));
        return pids;
    }

    /** A child that exited since it was listed needs no signal. */
    private static void signalIfAlive(String signal, String pid) throws IOException, InterruptedException {
        if (ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)) {
            new ProcessBuilder("kill", "-" + signal, "--", pid).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        }
    }

    private static void signal(String signal, String target) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, "--", target).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + target + " failed");
        }
    }

    // ---- verification

    record Verification(int lost, int liveWithoutObject) {
    }

    /** Every acknowledged 201 in the database with its SHA-256 and its object on disk with those bytes; every live row's object there. */
    private Verification verify() throws Exception {
        Path storage = home.resolve("storage");
        int lost = 0;
        int withoutObject = 0;
        try (Connection c = database()) {
            try (PreparedStatement st = c.prepareStatement(
                    "select encode(sha256, 'hex'), object_name from images where id = ?::uuid and status = 'LIVE'")) {
                for (Map.Entry<String, String> write : acked.entrySet()) {
                    st.setString(1, write.getKey());
                    try (ResultSet rs = st.executeQuery()) {
                        if (!rs.next()) {
                            // an acknowledged image may since have been overwritten by a race (same id, a newer version)
                            lost++;
                            continue;
                        }
                        boolean overwritten = !rs.getString(1).equals(write.getValue());
                        Path object = storage.resolve(rs.getString(2));
                        if (!overwritten && (!Files.isRegularFile(object) || !sha256(object).equals(write.getValue()))) {
                            lost++;
                        }
                    }
                }
            }
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select object_name from images where status = 'LIVE'")) {
                while (rs.next()) {
                    if (!Files.isRegularFile(storage.resolve(rs.getString(1)))) {
                        withoutObject++;
                    }
                }
            }
        }
        return new Verification(lost, withoutObject);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    // ---- the report

    private Map<String, String> table() {
        Map<String, List<Sample>> byKey = new TreeMap<>();
        for (Sample s : samples) {
            byKey.computeIfAbsent(s.phase() + " " + s.route(), k -> new ArrayList<>()).add(s);
        }
        Map<String, String> table = new java.util.LinkedHashMap<>();
        byKey.forEach((k, list) -> {
            long[] micros = list.stream().mapToLong(Sample::micros).sorted().toArray();
            Map<String, Integer> classes = new TreeMap<>();
            for (Sample s : list) {
                classes.merge(s.status() <= 0 ? "none" : s.status() / 100 + "xx", 1, Integer::sum);
            }
            table.put(k, String.format(Locale.ROOT, "n=%-6d p50=%7.1f ms p99=%7.1f ms max=%7.1f ms %s", micros.length,
                    percentile(micros, 50) / 1000.0, percentile(micros, 99) / 1000.0, micros[micros.length - 1] / 1000.0,
                    classes));
        });
        return table;
    }

    private static long percentile(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static void print(Report r, PrintStream out) {
        out.println();
        out.println("== fault suite ==");
        out.println("PostgreSQL durable: " + r.durable());
        r.table().forEach((k, v) -> out.printf("%-32s %s%n", k, v));
        out.println("PostgreSQL SIGKILL → answering again (ms): " + r.postgresRestartMillis());
        out.println("during the hang (SIGSTOP of the server):");
        for (Probe p : r.hangProbes()) {
            out.printf("  %-18s %d in %5d ms%s%s%n", p.what(), p.status(), p.millis(), p.problem() ? ", problem+json" : "",
                    p.retryAfter() ? ", Retry-After" : "");
        }
        out.println("  slowest load request started during the hang: " + r.slowestDuringHangMillis() + " ms");
        out.println("recovery after SIGCONT (list, check and upload all succeed): " + r.recoveryMillis() + " ms");
        out.println("upload function SIGKILL → healthy again: " + r.functionRestartMillis() + " ms");
        out.println("invariants: acknowledged 201s " + r.acknowledged() + ", lost " + r.lost() + ", live rows without object "
                + r.liveWithoutObject() + ", reject races with two 201s " + r.rejectRacesWithTwoWinners()
                + ", 5xx under load without faults " + r.serverErrorsUnderLoad() + ", 500s or no answer " + r.internalErrors());
    }

}
