package io.imgstream.bench;

import io.imgstream.support.TestImages;

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

    static void run() throws Exception {
        Path root = Path.of(System.getProperty("imgstream.root", ".")).toAbsolutePath().normalize();
        try (BenchEnvironment env = new BenchEnvironment(Map.of())) {
            Map<String, String> fnEnv = new java.util.HashMap<>(env.functionEnv());
            fnEnv.put("MAX_UPLOAD_BYTES", Integer.toString(40 * 1024 * 1024));
            Path gcLog = Files.createTempFile("bench-upload-gc", ".log");
            try (FunctionProcess fn = FunctionProcess.start(
                    root.resolve("functions/upload/target/imgstream-upload-function.jar").toString(),
                    "io.micronaut.gcp.function.http.HttpFunction",
                    List.of(HEAP, "-Xmn4m", "-XX:+UseSerialGC", "-Xlog:gc:file=" + gcLog), fnEnv)) {
                fn.until(HttpRequest.newBuilder(fn.uri("/health")), Duration.ofMinutes(2));
                double idleRss = fn.peakRssMb();
                System.out.printf("%nUpload through the function (own JVM, %s, -XX:+UseSerialGC; idle peak RSS %.0f MB)%n", HEAP, idleRss);
                // warm the path once, then take the idle heap after a collection
                byte[] warm = TestImages.png(99);
                FunctionProcess.CLIENT.send(HttpRequest.newBuilder(fn.uri("/images?filename=warm.png"))
                        .header("Authorization", "Bearer " + env.key).POST(HttpRequest.BodyPublishers.ofByteArray(warm)).build(),
                        HttpResponse.BodyHandlers.ofString());
                System.out.printf("%-8s %14s %14s %8s %22s %16s%n", "size", "function", "raw copy", "ratio",
                        "peak heap above idle", "peak RSS after");
                for (int mib : new int[]{1, 8, 32}) {
                    Path file = Files.createTempFile("bench-upload", ".png");
                    byte[] png = TestImages.png(mib);
                    byte[] body = new byte[mib * 1024 * 1024];
                    new Random(mib).nextBytes(body);
                    System.arraycopy(png, 0, body, 0, png.length);
                    Files.write(file, body);
                    Stats fnRate = new Stats();
                    List<Integer> before = afterGc(gcLog, 0);
                    int idle = before.isEmpty() ? 0 : before.get(before.size() - 1);
                    int mark = Files.readAllLines(gcLog).size();
                    for (int i = 0; i < 4; i++) {
                        long t = System.nanoTime();
                        HttpResponse<String> r = FunctionProcess.CLIENT.send(HttpRequest.newBuilder(
                                        fn.uri("/images?filename=u-" + UUID.randomUUID() + ".png"))
                                .header("Authorization", "Bearer " + env.key).timeout(Duration.ofMinutes(2))
                                .POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 201) {
                            throw new IllegalStateException(r.statusCode() + " " + r.body());
                        }
                        if (i > 0) {
                            fnRate.add(mib / ((System.nanoTime() - t) / 1e9));
                        }
                    }
                    int peak = afterGc(gcLog, mark).stream().mapToInt(Integer::intValue).max().orElse(idle);
                    Stats copyRate = new Stats();
                    for (int i = 0; i < 4; i++) {
                        Path target = Files.createTempFile("bench-copy", ".bin");
                        long t = System.nanoTime();
                        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                        try (var ch = java.nio.channels.FileChannel.open(target, java.nio.file.StandardOpenOption.WRITE)) {
                            ch.force(true);
                        }
                        copyRate.add(mib / ((System.nanoTime() - t) / 1e9));
                        Files.delete(target);
                    }
                    System.out.printf("%-8s %9.1f MiB/s %9.1f MiB/s %7.2fx %17d MiB %13.0f MB%n", mib + " MiB",
                            fnRate.median(), copyRate.median(), fnRate.median() / copyRate.median(), Math.max(0, peak - idle),
                            fn.peakRssMb());
                    Files.delete(file);
                }
                System.out.println("ratio = function ÷ raw copy (same bytes, same disk; the function also hashes, checks and commits)");
                System.out.println("peak heap above idle = max heap retained after a young collection (-Xmn4m) during the uploads,"
                        + " minus the heap after the last collection before them; 1 MiB granularity (-Xlog:gc)");
            }
        }
    }
}
