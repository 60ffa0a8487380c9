package io.imgstream.bench;

import io.imgstream.dev.Scratch;
import io.imgstream.dev.TestImages;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Upload throughput through the real function (its deployable jar under the invoker, in its own JVM) for
 * 1, 8 and 32 MiB images, next to a raw file copy of the same bytes. The function runs with a heap smaller
 * than the largest upload: a body held in memory would not fit.
 */
final class UploadSuite {

    static final String HEAP = System.getenv().getOrDefault("BENCH_UPLOAD_HEAP", "-Xmx96m");
    private static final Pattern AFTER_GC = Pattern.compile("->(\\d+)M\\(");

    /** Heap in use after each collection logged since {@code from} (a 4 MiB young generation collects often). */
    static List<Integer> afterGc(Path log, int from) throws java.io.IOException {
        List<String> lines = Files.readAllLines(log);
        List<Integer> values = new java.util.ArrayList<>();
        for (String line : lines.subList(Math.min(from, lines.size()), lines.size())) {
            Matcher m = AFTER_GC.matcher(line);
            if (m.find()) {
                values.add(Integer.parseInt(m.group(1)));
            }
        }
        return values;
    }

    static void run(Path root, JvmOptions jvm) throws Exception {
        try (BenchEnvironment env = new BenchEnvironment(Map.of())) {
            Map<String, String> fnEnv = new java.util.HashMap<>(env.functionEnv());
            fnEnv.put("MAX_UPLOAD_BYTES", Integer.toString(40 * 1024 * 1024));
            Path gcLog = Scratch.directory("bench-upload-gc").resolve("gc.log");
            List<String> javaOptions = jvm.forFunction("upload");
            List<String> options = new java.util.ArrayList<>(javaOptions);
            options.addAll(List.of(HEAP, "-Xmn4m", "-Xlog:gc:file=" + gcLog));
            int[] sizes = {1, 8, 32};
            Path[] files = new Path[sizes.length];
            for (int i = 0; i < sizes.length; i++) {
                files[i] = Scratch.file("bench-upload", ".png");
                byte[] png = TestImages.png(sizes[i]);
                byte[] body = new byte[sizes[i] * 1024 * 1024];
                new Random(sizes[i]).nextBytes(body);
                System.arraycopy(png, 0, body, 0, png.length);
                Files.write(files[i], body);
            }
            double[] sink = new double[sizes.length];
            try (FunctionProcess p = FunctionProcess.start(root.resolve("benchmarks/target/classes") + java.io.File.pathSeparator
                    + root.resolve("functions/upload/target/imgstream-upload-function.jar"),
                    SinkFunction.class.getName(), javaOptions, fnEnv)) {
                p.until(HttpRequest.newBuilder(p.uri("/")), Duration.ofMinutes(1));
                for (int i = 0; i < sizes.length; i++) {
                    sink[i] = rate(p.uri("/"), null, files[i], sizes[i]);
                }
            }
            try (FunctionProcess fn = FunctionProcess.start(
                    root.resolve("functions/upload/target/imgstream-upload-function.jar").toString(),
                    "io.imgstream.web.ImgStreamHttpFunction", options, fnEnv)) {
                fn.until(HttpRequest.newBuilder(fn.uri("/health")), Duration.ofMinutes(2));
                double idleRss = fn.peakRssMb();
                System.out.printf("%nUpload through the function (own JVM, %s; idle peak RSS %.0f MB), median of %d after %d warm-up%n",
                        String.join(" ", options.subList(0, options.size() - 1)), idleRss, MEASURED, WARM_UP);
                // warm the path once, then take the idle heap after a collection
                byte[] warm = TestImages.png(99);
                FunctionProcess.CLIENT.send(HttpRequest.newBuilder(fn.uri("/images?filename=warm.png"))
                        .header("Authorization", "Bearer " + env.key).POST(HttpRequest.BodyPublishers.ofByteArray(warm)).build(),
                        HttpResponse.BodyHandlers.ofString());
                System.out.printf("%-8s %14s %14s %14s %9s %9s %22s %16s%n", "size", "function", "bare sink", "raw copy",
                        "÷ sink", "÷ copy", "peak heap above idle", "peak RSS after");
                for (int i = 0; i < sizes.length; i++) {
                    int mib = sizes[i];
                    List<Integer> before = afterGc(gcLog, 0);
                    int idle = before.isEmpty() ? 0 : before.get(before.size() - 1);
                    int mark = Files.readAllLines(gcLog).size();
                    double function = rate(fn.uri("/images?filename="), env.key, files[i], mib);
                    int peak = afterGc(gcLog, mark).stream().mapToInt(Integer::intValue).max().orElse(idle);
                    Stats copyRate = new Stats();
                    for (int r = 0; r < WARM_UP + MEASURED; r++) {
                        Path target = Scratch.file("bench-copy", ".bin");
                        long t = System.nanoTime();
                        Files.copy(files[i], target, StandardCopyOption.REPLACE_EXISTING);
                        try (var ch = java.nio.channels.FileChannel.open(target, java.nio.file.StandardOpenOption.WRITE)) {
                            ch.force(true);
                        }
                        if (r >= WARM_UP) {
                            copyRate.add(mib / ((System.nanoTime() - t) / 1e9));
                        }
                        Files.delete(target);
                    }
                    System.out.printf("%-8s %9.1f MiB/s %9.1f MiB/s %9.1f MiB/s %8.2fx %8.2fx %17d MiB %13.0f MB%n", mib + " MiB",
                            function, sink[i], copyRate.median(), function / sink[i], function / copyRate.median(),
                            Math.max(0, peak - idle), fn.peakRssMb());
                }
                System.out.println("bare sink = a bare Functions Framework function (same JVM options) that only reads the body,"
                        + " hashes it and writes it durably through the same filesystem adapter: the ceiling of the invoker, JVM,"
                        + " disk and adapter");
                System.out.println("raw copy = Files.copy of the same file and fsync, in the benchmark's JVM (no HTTP at all); all three write durably");
                System.out.println("peak heap above idle = max heap retained after a young collection (-Xmn4m) during the uploads,"
                        + " minus the heap after the last collection before them; 1 MiB granularity (-Xlog:gc)");
            } finally {
                for (Path file : files) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    static final int WARM_UP = 2;
    static final int MEASURED = 5;

    /** Median MiB/s of POSTing {@code file} ({@code mib} MiB); {@code base} ends where a fresh filename may follow. */
    private static double rate(java.net.URI base, String key, Path file, int mib) throws Exception {
        Stats stats = new Stats();
        for (int i = 0; i < WARM_UP + MEASURED; i++) {
            java.net.URI uri = key == null ? base : java.net.URI.create(base + "u-" + UUID.randomUUID() + ".png");
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2))
                    .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofFile(file));
            if (key != null) {
                request.header("Authorization", "Bearer " + key);
            }
            long t = System.nanoTime();
            HttpResponse<String> r = FunctionProcess.CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
                throw new IllegalStateException(r.statusCode() + " " + r.body());
            }
            if (i >= WARM_UP) {
                stats.add(mib / ((System.nanoTime() - t) / 1e9));
            }
        }
        return stats.median();
    }
}
