package io.imgstream.bench;

import io.imgstream.application.upload.UploadCommand;
import io.imgstream.application.upload.UploadImage;
import io.imgstream.domain.ConflictPolicy;
import io.imgstream.support.TestImages;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
            double[] metadata;
            double[] content;
            try (FunctionProcess p = FunctionProcess.start(
                    root.resolve("functions/fetch/target/imgstream-fetch-function.jar").toString(),
                    "io.imgstream.web.ImgStreamHttpFunction", jvm.forFunction("fetch"), env.functionEnv())) {
                p.until(HttpRequest.newBuilder(p.uri("/health")), Duration.ofMinutes(1));
                metadata = load(HttpRequest.newBuilder(p.uri("/images/" + id)).GET(), env.key);
                content = load(HttpRequest.newBuilder(p.uri("/images/" + id + "/content")).GET(), env.key);
            }
            System.out.printf("%nFetch on loopback, %d connections, %d s each, load from %s, JVM options %s%n", CONNECTIONS,
                    DURATION.toSeconds(), WRK ? "wrk -t2" : "JDK HttpClient threads (no wrk on PATH)", jvm.forFunction("fetch"));
            System.out.printf("%-34s %10.0f req/s%n", "bare hello (baseline)", hello);
            System.out.printf("%-34s %10.0f req/s  %.2fx the hello%n", "same work, no HTTP framework", floor, floor / hello);
            System.out.printf("%-34s %10.0f req/s  %.2fx the hello, %.2fx the floor%n", "GET /images/{id} (metadata)",
                    metadata[0], metadata[0] / hello, metadata[0] / floor);
            System.out.printf("%-34s %10.0f req/s  %.0f MiB/s%n", "GET /images/{id}/content (1 MiB)", content[0], content[1]);
        }
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
