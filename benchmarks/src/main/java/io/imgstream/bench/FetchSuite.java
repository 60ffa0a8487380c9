package io.imgstream.bench;

import io.imgstream.application.AdministerAccounts;
import io.imgstream.application.AuthenticateCaller;
import io.imgstream.application.upload.UploadCommand;
import io.imgstream.application.upload.UploadImage;
import io.imgstream.domain.Caller;
import io.imgstream.domain.ConflictPolicy;
import io.imgstream.dev.TestImages;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fetch throughput on loopback, 16 concurrent connections: metadata GET and 1 MiB content GET requests/s
 * next to the bare Functions Framework hello measured in the same run with the same JVM options.
 * The load comes from wrk (2 threads, 16 connections) when it is on the PATH (Debian package {@code wrk}),
 * else from 16 JDK HttpClient threads in this JVM, which compete with the functions for the CPU and flatten
 * the ratio; the table names the generator. {@code BENCH_LOAD=java} forces the JDK client.
 */
final class FetchSuite {

    static final int CONNECTIONS = 16;
    /** {@code BENCH_PROFILE=1}: record the metadata load with JFR and print the flame summary's top frames. */
    static final boolean PROFILE = "1".equals(System.getenv("BENCH_PROFILE"));
    static final Duration DURATION = Duration.ofSeconds(Integer.parseInt(System.getenv().getOrDefault("BENCH_FETCH_SECONDS", "8")));

    static void run(Path root, JvmOptions jvm) throws Exception {
        try (BenchEnvironment env = new BenchEnvironment(Map.of())) {
            byte[] image = TestImages.pngOfSize(1024 * 1024, 1);
            String id = env.context.getBean(UploadImage.class).upload(new UploadCommand(env.caller, "fetch.png",
                    new ByteArrayInputStream(image), image.length, ConflictPolicy.REJECT)).image().id().toString();
            double hello;
            try (FunctionProcess p = FunctionProcess.start(root.resolve("benchmarks/target/classes").toString(),
                    HelloFunction.class.getName(), jvm.forFunction(JvmOptions.BASELINE), env.functionEnv())) {
                p.until(HttpRequest.newBuilder(p.uri("/")), Duration.ofMinutes(1));
                hello = load(HttpRequest.newBuilder(p.uri("/")).GET(), null)[0];
            }
            // The fetch function's own use cases and encoder without Micronaut's HTTP pipeline (FetchFloorFunction).
            double floor;
            try (FunctionProcess p = FunctionProcess.start(root.resolve("benchmarks/target/classes") + java.io.File.pathSeparator
                    + root.resolve("functions/fetch/target/imgstream-fetch-function.jar"),
                    FetchFloorFunction.class.getName(), jvm.forFunction("fetch"), env.functionEnv())) {
                p.until(HttpRequest.newBuilder(p.uri("/images/" + id)).header("Authorization", "Bearer " + env.key),
                        Duration.ofMinutes(1));
                floor = load(HttpRequest.newBuilder(p.uri("/images/" + id)).GET(), env.key)[0];
            }
            // Isolation: another user's image must answer like an id nobody holds, in time as well as in content.
            AdministerAccounts admin = env.context.getBean(AdministerAccounts.class);
            admin.findOrCreateUser("other");
            Caller other = env.context.getBean(AuthenticateCaller.class).authenticate(null, admin.createKey("other", "bench").key());
            String othersId = env.context.getBean(UploadImage.class).upload(new UploadCommand(other, "theirs.png",
                    new ByteArrayInputStream(image), image.length, ConflictPolicy.REJECT)).image().id().toString();
            String nobodysId = UUID.randomUUID().toString();
            double[] metadata;
            double[] content;
            Path profile = null;
            Stats[] isolation;
            try (FunctionProcess p = FunctionProcess.start(
                    root.resolve("functions/fetch/target/imgstream-fetch-function.jar").toString(),
                    "io.imgstream.web.ImgStreamHttpFunction", jvm.forFunction("fetch"), env.functionEnv())) {
                p.until(HttpRequest.newBuilder(p.uri("/health")), Duration.ofMinutes(1));
                if (PROFILE) {
                    // the warm-up runs before the recording starts; the recording covers one measured load
                    load(HttpRequest.newBuilder(p.uri("/images/" + id)).GET(), env.key);
                    FlameSummary.start(p.process);
                }
                metadata = load(HttpRequest.newBuilder(p.uri("/images/" + id)).GET(), env.key);
                if (PROFILE) {
                    profile = FlameSummary.stop(p.process, "fetch-metadata");
                }
                content = load(HttpRequest.newBuilder(p.uri("/images/" + id + "/content")).GET(), env.key);
                isolation = interleaved(env.key, p.uri("/images/" + othersId), p.uri("/images/" + nobodysId),
                        p.uri("/images/" + othersId + "/content"), p.uri("/images/" + nobodysId + "/content"));
            }
            System.out.printf("%nFetch on loopback, %d connections, %d s each, load from %s, JVM options %s%n", CONNECTIONS,
                    DURATION.toSeconds(), WRK ? "wrk -t2" : "JDK HttpClient threads (no wrk on PATH)", jvm.forFunction("fetch"));
            System.out.printf("%-34s %10.0f req/s%n", "bare hello (baseline)", hello);
            System.out.printf("%-34s %10.0f req/s  %.2fx the hello%n", "same work, no HTTP framework", floor, floor / hello);
            System.out.printf("%-34s %10.0f req/s  %.2fx the hello, %.2fx the floor%n", "GET /images/{id} (metadata)",
                    metadata[0], metadata[0] / hello, metadata[0] / floor);
            System.out.printf("%-34s %10.0f req/s  %.0f MiB/s%n", "GET /images/{id}/content (1 MiB)", content[0], content[1]);
            double target = metadata[0] / floor;
            System.out.printf("Target metadata GET ≥ 0.8 × the no-framework floor: %.2fx, %s%n", target, target >= 0.8 ? "met" : "not met");
            if (profile != null) {
                FlameSummary.print(profile, "GET /images/{id} under load (fetch function)", 25);
            }
            System.out.printf("%nIsolation: another user's id next to an id nobody holds (both 404 not_found), one connection, "
                    + "%d interleaved requests each after %d, client-side latency%n", ISOLATION_RUNS, ISOLATION_WARM_UP);
            String[] names = {"metadata, another user's id", "metadata, nobody's id", "content, another user's id",
                    "content, nobody's id"};
            for (int i = 0; i < names.length; i++) {
                System.out.printf("%-34s p50 %6.3f ms  p99 %6.3f ms%n", names[i], isolation[i].median(), isolation[i].p99());
            }
            System.out.printf("p50 ratio another user's ÷ nobody's: metadata %.2fx, content %.2fx%n",
                    isolation[0].median() / isolation[1].median(), isolation[2].median() / isolation[3].median());
        }
    }

    static final int ISOLATION_RUNS = 2000;
    static final int ISOLATION_WARM_UP = 300;

    /**
     * Each URI's latency, the URIs requested in turn so that drift in the machine's speed hits all alike. Every answer
     * must be a 404: anything else would mean the ids are told apart by status, which the tests forbid.
     */
    private static Stats[] interleaved(String key, URI... uris) throws Exception {
        var client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        Stats[] stats = new Stats[uris.length];
        for (int i = 0; i < uris.length; i++) {
            stats[i] = new Stats();
        }
        for (int run = 0; run < ISOLATION_WARM_UP + ISOLATION_RUNS; run++) {
            for (int i = 0; i < uris.length; i++) {
                HttpRequest request = HttpRequest.newBuilder(uris[i]).header("Authorization", "Bearer " + key).GET().build();
                long t = System.nanoTime();
                HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                double ms = (System.nanoTime() - t) / 1e6;
                if (r.statusCode() != 404) {
                    throw new IllegalStateException(uris[i] + " answered " + r.statusCode() + ", not 404");
                }
                if (run >= ISOLATION_WARM_UP) {
                    stats[i].add(ms);
                }
            }
        }
        return stats;
    }

    static final boolean WRK = !"java".equals(System.getenv("BENCH_LOAD")) && onPath("wrk");

    /** @return requests/s and MiB/s over {@link #DURATION} with {@link #CONNECTIONS} workers (after a warm-up). */
    static double[] load(HttpRequest.Builder request, String key) throws Exception {
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        HttpRequest built = request.build();
        if (WRK) {
            wrk(built, key, Duration.ofSeconds(3));
            return wrk(built, key, DURATION);
        }
        runFor(built, Duration.ofSeconds(3));
        return runFor(built, DURATION);
    }

    /** Non-2xx answers are counted apart by wrk; they fail the run rather than inflate the rate. */
    private static double[] wrk(HttpRequest request, String key, Duration duration) throws Exception {
        List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c" + CONNECTIONS, "-d" + duration.toSeconds() + "s"));
        if (key != null) {
            command.addAll(List.of("-H", "Authorization: Bearer " + key));
        }
        command.add(request.uri().toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (process.waitFor() != 0 || out.contains("Non-2xx") || out.contains("Socket errors")) {
            throw new IllegalStateException("wrk failed or saw errors:\n" + out);
        }
        var requests = java.util.regex.Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
        var transfer = java.util.regex.Pattern.compile("Transfer/sec:\\s+([0-9.]+)([KMG]?B)").matcher(out);
        if (!requests.find() || !transfer.find()) {
            throw new IllegalStateException("unexpected wrk output:\n" + out);
        }
        double mib = Double.parseDouble(transfer.group(1)) * switch (transfer.group(2)) {
            case "GB" -> 1024;
            case "MB" -> 1;
            case "KB" -> 1.0 / 1024;
            default -> 1.0 / 1024 / 1024;
        };
        return new double[]{Double.parseDouble(requests.group(1)), mib};
    }

    private static boolean onPath(String program) {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(dir -> java.nio.file.Files.isExecutable(Path.of(dir, program)));
    }

    private static double[] runFor(HttpRequest request, Duration duration) throws Exception {
        AtomicLong requests = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            Thread t = new Thread(() -> {
                var client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
                while (System.nanoTime() < end) {
                    try {
                        HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() == 200) {
                            requests.incrementAndGet();
                            bytes.addAndGet(r.body().length);
                        }
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            t.start();
            workers.add(t);
        }
        for (Thread t : workers) {
            t.join();
        }
        double seconds = duration.toNanos() / 1e9;
        return new double[]{requests.get() / seconds, bytes.get() / seconds / 1024 / 1024};
    }
}
