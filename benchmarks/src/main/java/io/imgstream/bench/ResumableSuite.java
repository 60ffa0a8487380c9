package io.imgstream.bench;

import io.imgstream.dev.Scratch;
import io.imgstream.dev.TestImages;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * A large image through tus (the upload function's deployable jar under the invoker, its own JVM with a heap far
 * smaller than the file) in chunks of 8 MiB and of 1 MiB, next to a raw file copy of the same bytes in the same run;
 * the function's peak heap above idle per chunk size (it must not grow with the file or the chunk); and what a resume
 * costs (the HEAD a client sends before it continues).
 */
final class ResumableSuite {

    static final int MIB = Integer.parseInt(System.getenv().getOrDefault("BENCH_RESUMABLE_MIB", "256"));
    static final int RUNS = Integer.parseInt(System.getenv().getOrDefault("BENCH_RESUMABLE_RUNS", "3"));

    static void run(Path root, JvmOptions jvm) throws Exception {
        try (BenchEnvironment env = new BenchEnvironment(Map.of())) {
            Map<String, String> fnEnv = new java.util.HashMap<>(env.functionEnv());
            fnEnv.put("MAX_UPLOAD_BYTES", Integer.toString(32 * 1024 * 1024));
            fnEnv.put("MAX_RESUMABLE_BYTES", Long.toString(2L * 1024 * 1024 * 1024));
            Path gcLog = Scratch.directory("bench-resumable-gc").resolve("gc.log");
            List<String> options = new ArrayList<>(jvm.forFunction("upload"));
            options.addAll(List.of(UploadSuite.HEAP, "-Xmn4m", "-Xlog:gc:file=" + gcLog));
            Path file = Scratch.file("bench-resumable", ".png");
            byte[] block = new byte[1024 * 1024];
            new Random(7).nextBytes(block);
            byte[] png = TestImages.png(7);
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                for (int i = 0; i < MIB; i++) {
                    if (i == 0) {
                        System.arraycopy(png, 0, block, 0, png.length);
                    }
                    out.write(ByteBuffer.wrap(block));
                }
            }
            try (FunctionProcess fn = FunctionProcess.start(
                    root.resolve("functions/upload/target/imgstream-upload-function.jar").toString(),
                    "io.imgstream.web.ImgStreamHttpFunction", options, fnEnv)) {
                fn.until(HttpRequest.newBuilder(fn.uri("/health")), Duration.ofMinutes(2));
                upload(fn, env.key, file, 8); // warm the path
                System.out.printf("%nResumable upload (tus) of a %d MiB image through the upload function (own JVM, %s),"
                        + " median of %d%n", MIB, String.join(" ", options.subList(0, options.size() - 1)), RUNS);
                System.out.printf("%-10s %14s %14s %9s %22s %16s%n", "chunks", "tus", "raw copy", "÷ copy",
                        "peak heap above idle", "peak RSS after");
                for (int chunkMib : new int[]{8, 1}) {
                    List<Integer> before = UploadSuite.afterGc(gcLog, 0);
                    int idle = before.isEmpty() ? 0 : before.get(before.size() - 1);
                    int mark = Files.readAllLines(gcLog).size();
                    Stats tus = new Stats();
                    for (int r = 0; r < RUNS; r++) {
                        tus.add(upload(fn, env.key, file, chunkMib));
                    }
                    int peak = UploadSuite.afterGc(gcLog, mark).stream().mapToInt(Integer::intValue).max().orElse(idle);
                    double copy = copyRate(file);
                    System.out.printf("%-10s %9.1f MiB/s %9.1f MiB/s %8.2fx %17d MiB %13.0f MB%n", chunkMib + " MiB",
                            tus.median(), copy, tus.median() / copy, Math.max(0, peak - idle), fn.peakRssMb());
                }
                Stats head = new Stats();
                URI upload = create(fn, env.key, MIB * 1024L * 1024);
                for (int i = 0; i < 25; i++) {
                    long t = System.nanoTime();
                    HttpResponse<String> r = FunctionProcess.CLIENT.send(tus(upload, env.key)
                            .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("HEAD " + r.statusCode());
                    }
                    if (i >= 5) {
                        head.add((System.nanoTime() - t) / 1e6);
                    }
                }
                System.out.printf("resume = one HEAD before continuing: median %.1f ms (min %.1f, max %.1f, %d runs);"
                        + " the chunk in flight when a connection drops is resent%n", head.median(), head.min(),
                        head.max(), head.count());
                System.out.println("raw copy = Files.copy of the same file and fsync in the benchmark's JVM; tus = create +"
                        + " every PATCH (each chunk a stored part) + the completion, which reads the parts once through the"
                        + " upload path (SHA-256, checks) into the image's object and deletes them");
                System.out.println("peak heap above idle = max heap retained after a young collection (-Xmn4m) during the"
                        + " uploads, minus the heap after the last collection before them (-Xlog:gc)");
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }

    static HttpRequest.Builder tus(URI uri, String key) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5)).header("Authorization", "Bearer " + key)
                .header("Tus-Resumable", "1.0.0");
    }

    static URI create(FunctionProcess fn, String key, long length) throws Exception {
        String name = Base64.getEncoder().encodeToString(("r-" + UUID.randomUUID() + ".png").getBytes());
        HttpResponse<String> r = FunctionProcess.CLIENT.send(tus(fn.uri("/uploads"), key)
                .header("Upload-Length", Long.toString(length)).header("Upload-Metadata", "filename " + name)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException(r.statusCode() + " " + r.body());
        }
        return URI.create(r.headers().firstValue("Location").orElseThrow());
    }

    /** MiB/s of one whole tus upload of {@code file} in chunks of {@code chunkMib}, each chunk streamed from the file. */
    static double upload(FunctionProcess fn, String key, Path file, int chunkMib) throws Exception {
        long length = Files.size(file);
        long chunk = chunkMib * 1024L * 1024;
        long t = System.nanoTime();
        URI upload = create(fn, key, length);
        for (long at = 0; at < length; at += chunk) {
            long n = Math.min(chunk, length - at);
            long from = at;
            HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                    HttpRequest.BodyPublishers.ofInputStream(() -> slice(file, from, n)), n);
            HttpResponse<String> r = FunctionProcess.CLIENT.send(tus(upload, key)
                    .header("Content-Type", "application/offset+octet-stream").header("Upload-Offset", Long.toString(at))
                    .method("PATCH", body).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 204) {
                throw new IllegalStateException("PATCH at " + at + ": " + r.statusCode() + " " + r.body());
            }
        }
        return (length / 1048576.0) / ((System.nanoTime() - t) / 1e9);
    }

    static java.io.InputStream slice(Path file, long from, long n) {
        try {
            java.io.InputStream in = Files.newInputStream(file);
            in.skipNBytes(from);
            return new io.imgstream.adapter.storage.BoundedInputStream(in, n);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static double copyRate(Path file) throws Exception {
        Stats copy = new Stats();
        for (int r = 0; r < RUNS; r++) {
            Path target = Scratch.file("bench-copy", ".bin");
            long t = System.nanoTime();
            Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            try (var ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            copy.add((Files.size(file) / 1048576.0) / ((System.nanoTime() - t) / 1e9));
            Files.delete(target);
        }
        return copy.median();
    }
}
