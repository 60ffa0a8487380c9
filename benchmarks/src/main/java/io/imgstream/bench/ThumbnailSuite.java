package io.imgstream.bench;

import io.imgstream.application.port.ThumbnailRenderer;
import io.imgstream.application.upload.UploadCommand;
import io.imgstream.application.upload.UploadImage;
import io.imgstream.domain.ConflictPolicy;
import io.imgstream.domain.Image;
import io.imgstream.dev.Scratch;
import io.imgstream.dev.TestImages;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Thumbnails (issue 24): the first render of a 320 px {@code inside} thumbnail of 24-megapixel photographs (baseline
 * JPEG, progressive JPEG, PNG; made in this run by {@link SyntheticPhoto}) in-process and through the real fetch
 * function, next to ImageMagick's {@code -thumbnail} and libvips' {@code vipsthumbnail} on the same files; the PSNR of
 * each result against ImageMagick's box-filter resize of the full image; cached thumbnail requests/s next to content
 * requests/s of a blob of the same size; the heap a 100-megapixel source costs a render, in child JVMs. The external
 * tools are skipped, each with a note, when absent: {@code /usr/bin/convert} exactly (ImageMagick 6; a
 * {@code convert} elsewhere on the PATH may be a stand-in), {@code vipsthumbnail} on the PATH.
 * {@code BENCH_THUMBNAIL_RUNS} (default 7) timed renders per source and tool; {@code BENCH_THUMBNAIL_JDK} a second
 * JDK's home for the in-process figure (default {@code /usr/lib/jvm/temurin-25-jdk-amd64} when present, {@code none}
 * to skip); {@code BENCH_THUMBNAIL_QUICK=1} only the in-process renders, the tools and PSNR (for tuning the renderer).
 */
final class ThumbnailSuite {

    static final int SIZE = 320;
    static final int RUNS = Math.max(5, Integer.parseInt(System.getenv().getOrDefault("BENCH_THUMBNAIL_RUNS", "7")));
    static final Path CONVERT = Path.of("/usr/bin/convert");
    static final String QUERY = "?size=" + SIZE + "&fit=inside&format=jpeg&v=";
    static final Pattern AFTER_GC = Pattern.compile("->(\\d+)M\\(");
    static final boolean QUICK = "1".equals(System.getenv("BENCH_THUMBNAIL_QUICK"));

    /** One source of the comparison. */
    record Case(String name, Path file, boolean jpeg) {
    }

    /** What one case measured; NaN where a tool was absent. */
    static final class Result {
        final Stats ours = new Stats();
        final Stats magick = new Stats();
        final Stats vips = new Stats();
        final Stats fetch = new Stats();
        double psnrOurs = Double.NaN;
        double psnrMagick = Double.NaN;
        double psnrVips = Double.NaN;
        Path oursOut;
        Path magickOut;
        Path vipsOut;
    }

    private ThumbnailSuite() {
    }

    static void run(Path root, JvmOptions jvm) throws Exception {
        // Each upload logs its outbox event at INFO: 30 lines between the tables.
        var rootLogger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        var level = rootLogger.getLevel();
        rootLogger.setLevel(ch.qos.logback.classic.Level.WARN);
        try {
            measure(root, jvm);
        } finally {
            rootLogger.setLevel(level);
        }
    }

    /** Everything one run measured, for {@link #print}; empty parts were skipped. */
    static final class Figures {
        final List<String> notes = new ArrayList<>();
        final Map<Case, Result> results = new LinkedHashMap<>();
        final Map<String, Long> sizes = new LinkedHashMap<>();
        boolean magick;
        boolean vips;
        int thumbnailBytes = -1;
        final double[] content = new double[2];
        final double[] cached = new double[2];
        final Map<String, Map<String, String>> heap = new LinkedHashMap<>();
        final Map<String, Integer> peakAfterGc = new LinkedHashMap<>();
        final Map<String, Integer> leastHeap = new LinkedHashMap<>();
        int idleHeap = -1;
        List<String> logged = List.of();
        List<String> bare = List.of();
        final Map<String, Map<String, String>> secondJdk = new LinkedHashMap<>();
        String jdk2 = "none";
    }

    private static void measure(Path root, JvmOptions jvm) throws Exception {
        Path dir = Scratch.directory("imgstream-bench-thumbnails");
        Figures f = new Figures();
        f.magick = Files.isExecutable(CONVERT);
        Path vipsthumbnail = onPath("vipsthumbnail");
        f.vips = vipsthumbnail != null;
        if (!f.magick) {
            f.notes.add("ImageMagick skipped: no /usr/bin/convert (Debian package imagemagick); PSNR needs it for the reference too");
        }
        if (!f.vips) {
            f.notes.add("libvips skipped: no vipsthumbnail on the PATH (Debian package libvips-tools)");
        }
        if (QUICK) {
            f.notes.add("BENCH_THUMBNAIL_QUICK=1: in-process renders, the tools and PSNR only");
        }

        progress("generating the sources (24 MP JPEG baseline and progressive, PNG; 6 MP warm-ups; 100 MP JPEGs)");
        BufferedImage photo = SyntheticPhoto.generate(6000, 4000, 1);
        Path baseline = dir.resolve("photo-24mp.jpg");
        Path progressive = dir.resolve("photo-24mp-progressive.jpg");
        Path png = dir.resolve("photo-24mp.png");
        SyntheticPhoto.writeJpeg(photo, baseline, 0.9f, false);
        SyntheticPhoto.writeJpeg(photo, progressive, 0.9f, true);
        SyntheticPhoto.writePng(photo, png);
        photo = SyntheticPhoto.generate(3000, 2000, 2);
        List<Path> warm = List.of(dir.resolve("warm-6mp.jpg"), dir.resolve("warm-6mp-progressive.jpg"), dir.resolve("warm-6mp.png"));
        SyntheticPhoto.writeJpeg(photo, warm.get(0), 0.9f, false);
        SyntheticPhoto.writeJpeg(photo, warm.get(1), 0.9f, true);
        SyntheticPhoto.writePng(photo, warm.get(2));
        Path small = dir.resolve("warm-small.jpg"); // the heap probes' warm-up: every class loaded, next to no pixels
        SyntheticPhoto.writeJpeg(SyntheticPhoto.generate(640, 427, 4), small, 0.9f, false);
        Path big = dir.resolve("photo-100mp.jpg");
        Path bigProgressive = dir.resolve("photo-100mp-progressive.jpg");
        if (!QUICK) {
            photo = SyntheticPhoto.generate(10000, 10000, 3);
            SyntheticPhoto.writeJpeg(photo, big, 0.9f, false);
            SyntheticPhoto.writeJpeg(photo, bigProgressive, 0.9f, true);
            f.sizes.put("10000×10000 JPEG q90 baseline", Files.size(big));
            f.sizes.put("progressive", Files.size(bigProgressive));
        }
        photo = null;
        System.gc();
        List<Case> cases = List.of(new Case("24 MP JPEG baseline", baseline, true),
                new Case("24 MP JPEG progressive", progressive, true), new Case("24 MP PNG", png, false));
        cases.forEach(c -> f.results.put(c, new Result()));

        try (BenchEnvironment env = new BenchEnvironment(Map.of("imgstream.max-upload-bytes", Long.toString(256L << 20)))) {
            ThumbnailRenderer renderer = env.context.getBean(ThumbnailRenderer.class);
            f.notes.add("renderer " + renderer.getClass().getSimpleName() + " revision " + renderer.revision() + " from "
                    + renderer.getClass().getProtectionDomain().getCodeSource().getLocation().getPath());
            firstRenders(dir, f, cases, warm, renderer, vipsthumbnail);
            if (f.magick) {
                quality(dir, f, cases);
            }
            if (!QUICK) {
                throughFetch(root, jvm, env, f, cases, warm);
                heap(dir, jvm, f, small, big, bigProgressive);
                secondJdk(f, cases, warm);
            }
        }
        print(jvm, cases, f);
    }

    /** 1. First renders, interleaved (ours, ImageMagick, vips, next source…) so that drift hits all alike. */
    private static void firstRenders(Path dir, Figures f, List<Case> cases, List<Path> warm, ThumbnailRenderer renderer,
                                     Path vipsthumbnail) throws Exception {
        progress("first renders in-process and by the tools, " + RUNS + " rounds");
        for (int i = 0; i < 3; i++) {
            warm.forEach(w -> ThumbnailProbe.render(renderer, w));
        }
        for (Case c : cases) { // untimed: the tools' first run pages the files in
            Result r = f.results.get(c);
            r.oursOut = dir.resolve("ours-" + c.file().getFileName() + ".jpg");
            Files.write(r.oursOut, ThumbnailProbe.render(renderer, c.file()).bytes());
            if (f.magick) {
                r.magickOut = dir.resolve("magick-" + c.file().getFileName() + ".jpg");
                command(magickThumbnail(c, r.magickOut));
            }
            if (f.vips) {
                r.vipsOut = dir.resolve("vips-" + c.file().getFileName() + ".jpg");
                command(vipsThumbnail(vipsthumbnail, c, r.vipsOut));
            }
        }
        for (int run = 0; run < RUNS; run++) {
            for (Case c : cases) {
                Result r = f.results.get(c);
                long t = System.nanoTime();
                ThumbnailProbe.render(renderer, c.file());
                r.ours.add((System.nanoTime() - t) / 1e6);
                if (f.magick) {
                    r.magick.add(command(magickThumbnail(c, r.magickOut)));
                }
                if (f.vips) {
                    r.vips.add(command(vipsThumbnail(vipsthumbnail, c, r.vipsOut)));
                }
            }
        }
    }

    /** 2. Quality against ImageMagick's averaging resize of every source pixel. */
    private static void quality(Path dir, Figures f, List<Case> cases) throws Exception {
        progress("PSNR references (ImageMagick -filter box -resize of the full images)");
        for (Case c : cases) {
            Result r = f.results.get(c);
            Path reference = dir.resolve("reference-" + c.file().getFileName() + ".png");
            command(List.of(CONVERT.toString(), c.file().toString(), "-filter", "box", "-resize", SIZE + "x" + SIZE,
                    "-depth", "8", reference.toString()));
            r.psnrOurs = psnr(r.oursOut, reference);
            r.psnrMagick = psnr(r.magickOut, reference);
            if (r.vipsOut != null) {
                r.psnrVips = psnr(r.vipsOut, reference);
            }
        }
    }

    /** 1b and 3: first renders and the cached rate through the real fetch function. */
    private static void throughFetch(Path root, JvmOptions jvm, BenchEnvironment env, Figures f, List<Case> cases,
                                     List<Path> warm) throws Exception {
        progress("first renders and cached thumbnails through the fetch function");
        UploadImage upload = env.context.getBean(UploadImage.class);
        List<Image> warmImages = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            for (Path w : warm) {
                warmImages.add(upload(upload, env, w, "warm-" + i + "-" + w.getFileName()));
            }
        }
        Map<Case, List<Image>> copies = new LinkedHashMap<>();
        for (Case c : cases) {
            List<Image> list = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                list.add(upload(upload, env, c.file(), "copy-" + i + "-" + c.file().getFileName()));
            }
            copies.put(c, list);
        }
        try (FunctionProcess p = FunctionProcess.start(root.resolve("functions/fetch/target/imgstream-fetch-function.jar")
                .toString(), "io.imgstream.web.ImgStreamHttpFunction", jvm.forFunction("fetch"), env.functionEnv())) {
            p.until(HttpRequest.newBuilder(p.uri("/health")), Duration.ofMinutes(1));
            for (Image image : warmImages) {
                get(p, env.key, thumbnailPath(image));
            }
            for (int run = 0; run < RUNS; run++) {
                for (Case c : cases) {
                    long t = System.nanoTime();
                    get(p, env.key, thumbnailPath(copies.get(c).get(run)));
                    f.results.get(c).fetch.add((System.nanoTime() - t) / 1e6);
                }
            }
            Image first = copies.get(cases.get(0)).get(0);
            f.thumbnailBytes = get(p, env.key, thumbnailPath(first)).length;
            byte[] blob = TestImages.pngOfSize(f.thumbnailBytes, 24);
            Image same = upload.upload(new UploadCommand(env.caller, "blob-" + f.thumbnailBytes + ".png",
                    new java.io.ByteArrayInputStream(blob), blob.length, ConflictPolicy.REJECT)).image();
            URI contentUri = p.uri("/images/" + same.id() + "/content");
            URI thumbnailUri = p.uri(thumbnailPath(first));
            for (int round = 0; round < 2; round++) {
                f.content[round] = FetchSuite.load(HttpRequest.newBuilder(contentUri).GET(), env.key)[0];
                f.cached[round] = FetchSuite.load(HttpRequest.newBuilder(thumbnailUri).GET(), env.key)[0];
            }
        }
    }

    /** 4. Heap of a 100 MP render, in child JVMs with the fetch function's options. */
    private static void heap(Path dir, JvmOptions jvm, Figures f, Path warm, Path big, Path bigProgressive) throws Exception {
        progress("100 MP renders in child JVMs (heap, least -Xmx)");
        List<String> deployed = jvm.forFunction("fetch");
        List<String> logged = new ArrayList<>(deployed);
        logged.addAll(List.of("-Xmn4m", "-Xlog:gc:file=" + dir.resolve("gc-%p.log")));
        f.logged = logged;
        f.bare = deployed.stream().filter(o -> !o.startsWith("-Xms") && !o.startsWith("-XX:MaxRAM")).toList();
        f.idleHeap = leastHeap(f.bare, "idle", warm.toString());
        for (Path file : List.of(big, bigProgressive)) {
            String name = file.getFileName().toString();
            Probe probe = probe(null, logged, "heap", warm.toString(), file.toString());
            f.heap.put(name, probe.values());
            f.peakAfterGc.put(name, peakAfterGc(dir.resolve("gc-" + probe.pid() + ".log")));
            f.leastHeap.put(name, leastHeap(f.bare, "heap", warm.toString(), file.toString()));
        }
    }

    /** 5. The in-process figure under this JDK and a second one (the deployed runtime is a Temurin build). */
    private static void secondJdk(Figures f, List<Case> cases, List<Path> warm) throws Exception {
        f.jdk2 = System.getenv().getOrDefault("BENCH_THUMBNAIL_JDK",
                Files.isDirectory(Path.of("/usr/lib/jvm/temurin-25-jdk-amd64")) ? "/usr/lib/jvm/temurin-25-jdk-amd64" : "none");
        if ("none".equals(f.jdk2)) {
            return;
        }
        progress("in-process renders under this JDK and " + f.jdk2 + ", child JVMs");
        List<String> timeArgs = new ArrayList<>(List.of("time", Integer.toString(RUNS)));
        warm.forEach(w -> timeArgs.add(w.toString()));
        timeArgs.add("--");
        cases.forEach(c -> timeArgs.add(c.file().toString()));
        for (String home : List.of(System.getProperty("java.home"), f.jdk2)) {
            f.secondJdk.put(home, probe(Path.of(home), List.of("-Xmx2g"), timeArgs.toArray(String[]::new)).values());
        }
    }

    private static void print(JvmOptions jvm, List<Case> cases, Figures f) throws Exception {
        Map<Case, Result> results = f.results;
        boolean magick = f.magick;
        System.out.printf("%nThumbnails (issue 24): %d px inside, JPEG q85; Java %s (%s, %s); %s%n", SIZE,
                System.getProperty("java.version"), System.getProperty("java.vm.name"), System.getProperty("java.vm.vendor"),
                libjpeg(Path.of(System.getProperty("java.home"))));
        System.out.printf("sources (SyntheticPhoto, made in this run): 6000×4000 JPEG q90 4:2:0 baseline %.1f MB, progressive"
                        + " %.1f MB, PNG %.1f MB%s%n", Files.size(cases.get(0).file()) / 1e6, Files.size(cases.get(1).file()) / 1e6,
                Files.size(cases.get(2).file()) / 1e6, f.sizes.isEmpty() ? "" : String.format(Locale.ROOT,
                        "; 10000×10000 JPEG q90 baseline %.1f MB, progressive %.1f MB",
                        f.sizes.get("10000×10000 JPEG q90 baseline") / 1e6, f.sizes.get("progressive") / 1e6));
        f.notes.forEach(n -> System.out.println("note: " + n));

        System.out.printf("%nFirst render, median (min–max) of %d, interleaved; in-process: the renderer bean in this JVM after 3"
                + " warm-up renders of 6 MP files; fetch: first GET of a new image id through the function (%s)%n", RUNS,
                String.join(" ", jvm.forFunction("fetch")));
        System.out.printf("%-24s %-22s %-22s %-22s %-22s %8s %8s %8s%n", "source", "ours in-process", "ours via fetch",
                "ImageMagick", "vipsthumbnail", "ours÷IM", "ours÷vips", "fetch÷IM");
        for (Case c : cases) {
            Result r = results.get(c);
            boolean fetched = r.fetch.count() > 0;
            System.out.printf("%-24s %-22s %-22s %-22s %-22s %8s %8s %8s%n", c.name(), ms(r.ours), ms(r.fetch),
                    magick ? ms(r.magick) : "—", f.vips ? ms(r.vips) : "—",
                    magick ? ratio(r.ours.median() / r.magick.median()) : "—", f.vips ? ratio(r.ours.median() / r.vips.median()) : "—",
                    magick && fetched ? ratio(r.fetch.median() / r.magick.median()) : "—");
        }
        System.out.println("ImageMagick: /usr/bin/convert [-define jpeg:size=640x640] in -thumbnail 320x320 -quality 85 out.jpg"
                + " (the hint for JPEG only); vips: vipsthumbnail -s 320 in -o out.jpg[Q=85]; both wall time of the process,"
                + " start-up included, both free to use the 2 cores; ours one thread");

        if (magick) {
            System.out.printf("%nQuality: PSNR (RGB, 8 bit) against ImageMagick's box-filter resize of every source pixel"
                    + " (convert in -filter box -resize 320x320), each result as its q85 JPEG%n");
            System.out.printf("%-24s %10s %12s %14s %10s%n", "source", "ours", "ImageMagick", "vipsthumbnail", "ours − IM");
            for (Case c : cases) {
                Result r = results.get(c);
                System.out.printf("%-24s %7.2f dB %9.2f dB %11s %7.2f dB%n", c.name(), r.psnrOurs, r.psnrMagick,
                        Double.isNaN(r.psnrVips) ? "—" : String.format(Locale.ROOT, "%.2f dB", r.psnrVips),
                        r.psnrOurs - r.psnrMagick);
            }
        }

        double contentRate = (f.content[0] + f.content[1]) / 2;
        double cachedRate = (f.cached[0] + f.cached[1]) / 2;
        if (f.thumbnailBytes > 0) {
            System.out.printf("%nCached thumbnail next to content of the same size (%d bytes), %d connections, %d s each, two"
                            + " rounds interleaved, load from %s%n", f.thumbnailBytes, FetchSuite.CONNECTIONS,
                    FetchSuite.DURATION.toSeconds(), FetchSuite.WRK ? "wrk -t2" : "JDK HttpClient threads (no wrk on PATH)");
            System.out.printf("%-44s %8.0f req/s  (rounds %.0f, %.0f)%n", "GET /images/{id}/content (" + f.thumbnailBytes + " B)",
                    contentRate, f.content[0], f.content[1]);
            System.out.printf("%-44s %8.0f req/s  (rounds %.0f, %.0f)  %.2fx the content%n", "GET /images/{id}/thumbnail (cached)",
                    cachedRate, f.cached[0], f.cached[1], cachedRate / contentRate);
        }

        if (!f.heap.isEmpty()) {
            System.out.printf("%n100 MP (10000×10000) render to %d px in a child JVM: %s%n", SIZE, String.join(" ", f.logged));
            System.out.printf("%-32s %14s %14s %16s %12s %10s%n", "source", "heap after GC", "pool peaks", "least -Xmx", "RSS growth",
                    "time");
            for (var e : f.heap.entrySet()) {
                Map<String, String> v = e.getValue();
                long idle = Long.parseLong(v.get("idle"));
                System.out.printf("%-32s %10d MiB %10.1f MiB %12d MiB %8.0f MiB %7.0f ms%n", e.getKey(),
                        f.peakAfterGc.get(e.getKey()), (Long.parseLong(v.get("poolpeaks")) - idle) / 1048576.0,
                        f.leastHeap.get(e.getKey()) - f.idleHeap,
                        (Long.parseLong(v.get("rsspeak")) - Long.parseLong(v.get("rssbefore"))) / 1048576.0,
                        Double.parseDouble(v.get("ms")));
            }
            System.out.printf("heap after GC = max heap retained after a young collection (-Xmn4m) during the render minus the"
                    + " heap after the System.gc() before it (-Xlog:gc, 1 MiB granularity); pool peaks = the heap pools' peak use"
                    + " during the render (MemoryPoolMXBean, reset after that System.gc(); summed per pool, garbage included, an"
                    + " upper bound) minus the heap in use after it; least -Xmx = the smallest -Xmx (2 MiB steps, %s) in which the"
                    + " render completes, minus the smallest in which the renderer, warmed up on a 640×427 JPEG, idles (%d MiB);"
                    + " RSS growth = peak"
                    + " resident set during the render (VmHWM reset through /proc/self/clear_refs) minus the resident set before"
                    + " it: native memory (libjpeg) included%n", String.join(" ", f.bare), f.idleHeap);
        }

        if (!f.secondJdk.isEmpty()) {
            System.out.printf("%nIn-process first render under two JDKs, child JVMs (-Xmx2g), median (min) of %d after warm-up%n", RUNS);
            for (var e : f.secondJdk.entrySet()) {
                Path home = Path.of(e.getKey());
                System.out.printf("%s, %s (%s)%n", home, release(home), libjpeg(home));
                for (Case c : cases) {
                    Map<String, String> v = e.getValue();
                    String name = c.file().getFileName().toString();
                    double median = Double.parseDouble(v.get(name + ".median"));
                    System.out.printf("  %-24s %8.0f ms (%.0f)%s%n", c.name(), median, Double.parseDouble(v.get(name + ".min")),
                            magick ? "  " + ratio(median / results.get(c).magick.median()) + " ImageMagick" : "");
                }
            }
        } else if (!QUICK) {
            System.out.println("\nsecond JDK skipped (BENCH_THUMBNAIL_JDK=" + f.jdk2 + ")");
        }

        System.out.println("\nTargets (issue 24):");
        if (magick) {
            Result b = results.get(cases.get(0));
            Result p = results.get(cases.get(1));
            Result n = results.get(cases.get(2));
            verdict("baseline JPEG ≤ 1.0x ImageMagick (in-process / via fetch)", b.ours.median() / b.magick.median() <= 1.0,
                    both(b));
            verdict("  at ImageMagick's quality: PSNR within 0.5 dB", b.psnrOurs >= b.psnrMagick - 0.5,
                    String.format(Locale.ROOT, "%+.2f dB", b.psnrOurs - b.psnrMagick));
            verdict("progressive JPEG ≤ 1.6x ImageMagick (in-process / via fetch)", p.ours.median() / p.magick.median() <= 1.6,
                    both(p));
            verdict("24 MP PNG ≤ 1.0x ImageMagick (in-process / via fetch)", n.ours.median() / n.magick.median() <= 1.0, both(n));
        }
        if (f.thumbnailBytes > 0) {
            verdict("cached thumbnail ≥ 0.9x content of the same size", cachedRate / contentRate >= 0.9,
                    ratio(cachedRate / contentRate));
        }
        if (!f.leastHeap.isEmpty()) {
            int growth = f.leastHeap.values().stream().mapToInt(Integer::intValue).max().orElse(0) - f.idleHeap;
            verdict("heap growth ≤ 64 MiB for 100 MP (least -Xmx above idle)", growth <= 64, growth + " MiB");
        }
    }

    private static String both(Result r) {
        return ratio(r.ours.median() / r.magick.median())
                + (r.fetch.count() > 0 ? " / " + ratio(r.fetch.median() / r.magick.median()) : "");
    }

    private static void verdict(String target, boolean met, String figure) {
        System.out.printf("  %-62s %-8s %s%n", target, met ? "met" : "MISSED", figure);
    }

    private static String ms(Stats s) {
        return s.count() == 0 ? "—" : String.format(Locale.ROOT, "%.0f ms (%.0f–%.0f)", s.median(), s.min(), s.max());
    }

    private static String ratio(double r) {
        return String.format(Locale.ROOT, "%.2fx", r);
    }

    private static void progress(String what) {
        System.err.println("thumbnail: " + what);
    }

    private static List<String> vipsThumbnail(Path vipsthumbnail, Case c, Path out) {
        return List.of(vipsthumbnail.toString(), "-s", Integer.toString(SIZE), c.file().toString(), "-o", out + "[Q=85]");
    }

    private static List<String> magickThumbnail(Case c, Path out) {
        List<String> command = new ArrayList<>(List.of(CONVERT.toString()));
        if (c.jpeg()) {
            command.addAll(List.of("-define", "jpeg:size=" + 2 * SIZE + "x" + 2 * SIZE));
        }
        command.addAll(List.of(c.file().toString(), "-thumbnail", SIZE + "x" + SIZE, "-quality", "85", out.toString()));
        return command;
    }

    /** Runs {@code command}; its wall time in ms. */
    private static double command(List<String> command) throws Exception {
        long t = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        double ms = (System.nanoTime() - t) / 1e6;
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + exit + ":\n" + out);
        }
        return ms;
    }

    /** Peak signal-to-noise ratio over R, G and B at 8 bits, as ImageMagick's {@code compare -metric PSNR} defines it. */
    static double psnr(Path a, Path b) throws IOException {
        double mse;
        try {
            mse = TestImages.difference(ImageIO.read(a.toFile()), ImageIO.read(b.toFile())).meanSquared();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(a + " and " + b + ": " + e.getMessage());
        }
        return 10 * Math.log10(255.0 * 255.0 / mse);
    }

    private static Image upload(UploadImage upload, BenchEnvironment env, Path file, String name) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return upload.upload(new UploadCommand(env.caller, name, in, Files.size(file), ConflictPolicy.REJECT)).image();
        }
    }

    private static String thumbnailPath(Image image) {
        return "/images/" + image.id() + "/thumbnail" + QUERY + image.version();
    }

    private static byte[] get(FunctionProcess p, String key, String path) throws Exception {
        HttpResponse<byte[]> r = FunctionProcess.CLIENT.send(HttpRequest.newBuilder(p.uri(path)).timeout(Duration.ofMinutes(2))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
        }
        return r.body();
    }

    /** A child JVM's {@code probe} lines as a map ({@code file=x median=y} as {@code x.median}), and its pid. */
    record Probe(long pid, Map<String, String> values, int exit) {
    }

    private static Probe probe(Path javaHome, List<String> options, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add((javaHome != null ? javaHome : Path.of(System.getProperty("java.home"))).resolve("bin/java").toString());
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ThumbnailProbe.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            if (!line.startsWith("probe ")) {
                continue;
            }
            String file = null;
            for (String pair : line.substring(6).trim().split(" ")) {
                String[] kv = pair.split("=", 2);
                if (kv[0].equals("file")) {
                    file = kv[1];
                } else if (kv.length == 2) {
                    values.put(file == null ? kv[0] : file + "." + kv[0], kv[1]);
                }
            }
        }
        if (exit != 0 && !"heap".equals(args[0]) && !"idle".equals(args[0])) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + exit + ":\n" + out);
        }
        if (exit == 0 && "heap".equals(args[0]) && !values.containsKey("idle")) {
            throw new IllegalStateException("no figures from " + String.join(" ", command) + ":\n" + out);
        }
        return new Probe(process.pid(), values, exit);
    }

    /** The smallest -Xmx (MiB, 2 MiB steps) in which the probe exits 0. */
    private static int leastHeap(List<String> options, String... args) throws Exception {
        int lo = 2;
        int hi = 128;
        while (probeIn(hi, options, args) != 0) {
            lo = hi;
            hi *= 2;
            if (hi > 2048) {
                throw new IllegalStateException(String.join(" ", args) + " fails in -Xmx" + hi + "m");
            }
        }
        while (hi - lo > 2) {
            int mid = (lo + hi) / 2;
            if (probeIn(mid, options, args) == 0) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    private static int probeIn(int mib, List<String> options, String... args) throws Exception {
        List<String> withHeap = new ArrayList<>(options);
        withHeap.add("-Xmx" + mib + "m");
        return probe(null, withHeap, args).exit();
    }

    /** The max heap after a collection that followed the last System.gc() in a -Xlog:gc file, minus the heap after it. */
    private static int peakAfterGc(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        int mark = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("System.gc()")) {
                mark = i;
            }
        }
        if (mark < 0) {
            return -1;
        }
        int idle = afterGc(lines.get(mark));
        int peak = idle;
        for (String line : lines.subList(mark + 1, lines.size())) {
            peak = Math.max(peak, afterGc(line));
        }
        return peak - idle;
    }

    private static int afterGc(String line) {
        Matcher m = AFTER_GC.matcher(line);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** JAVA_VERSION and IMPLEMENTOR of a JDK's {@code release} file. */
    static String release(Path javaHome) {
        try {
            Map<String, String> values = new LinkedHashMap<>();
            for (String line : Files.readAllLines(javaHome.resolve("release"))) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    values.put(line.substring(0, eq), line.substring(eq + 1).replace("\"", ""));
                }
            }
            return values.getOrDefault("IMPLEMENTOR", "?") + " " + values.getOrDefault("JAVA_RUNTIME_VERSION",
                    values.getOrDefault("JAVA_VERSION", "?"));
        } catch (IOException e) {
            return "no release file";
        }
    }

    /** Whether libjavajpeg.so links a system libjpeg (Debian: libjpeg-turbo) or carries the JDK's bundled IJG 6b. */
    static String libjpeg(Path javaHome) {
        Path lib = javaHome.resolve("lib/libjavajpeg.so");
        if (!Files.exists(lib)) {
            return "no lib/libjavajpeg.so";
        }
        try {
            Process process = new ProcessBuilder("ldd", lib.toString()).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            for (String line : out.split("\n")) {
                if (line.contains("libjpeg")) {
                    String target = line.contains("=>") ? line.substring(line.indexOf("=>") + 2).replaceAll("\\(0x.*", "").trim() : line.trim();
                    return "libjavajpeg.so links " + target + " (system libjpeg, libjpeg-turbo on Debian)";
                }
            }
            return "libjavajpeg.so links no libjpeg (the JDK's bundled IJG libjpeg 6b, no SIMD)";
        } catch (IOException e) {
            return "libjavajpeg.so linkage unknown (no ldd)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "libjavajpeg.so linkage unknown";
        }
    }

    private static Path onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
