package io.imgstream.bench;

import io.imgstream.adapter.imaging.ImageIoThumbnailRenderer;
import io.imgstream.application.port.ThumbnailRenderer;
import io.imgstream.domain.ImageFormat;
import io.imgstream.domain.ThumbnailSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The thumbnail suite's child JVM (a heap of its own, or another JDK). Prints {@code probe key=value…} lines.
 * <ul>
 *   <li>{@code idle <warm>}: renders the warm-up file three times and exits 0 (the least heap a warm renderer needs);</li>
 *   <li>{@code heap <warm> <file>}: the same warm-up, then a collection, then one 320 px render of {@code file}:
 *       heap after the collection, the heap pools' peaks during the render, resident set before and peak during it
 *       (VmHWM, reset through {@code /proc/self/clear_refs}); exits 3 on OutOfMemoryError;</li>
 *   <li>{@code time <runs> <warm>… -- <file>…}: each warm-up file rendered three times, then each file {@code runs}
 *       times: median and minimum wall time per file.</li>
 * </ul>
 */
public final class ThumbnailProbe {

    static final ThumbnailSpec SPEC = new ThumbnailSpec(320, ThumbnailSpec.Fit.INSIDE, ThumbnailSpec.Output.JPEG);

    private ThumbnailProbe() {
    }

    public static void main(String[] args) throws Exception {
        ThumbnailRenderer renderer = new ImageIoThumbnailRenderer();
        try {
            switch (args[0]) {
                case "idle" -> warm(renderer, List.of(Path.of(args[1])));
                case "heap" -> heap(renderer, Path.of(args[1]), Path.of(args[2]));
                case "time" -> time(renderer, Integer.parseInt(args[1]), Arrays.asList(args).subList(2, args.length));
                default -> throw new IllegalArgumentException(args[0]);
            }
        } catch (OutOfMemoryError e) {
            System.out.println("probe oom");
            System.exit(3);
        }
        System.exit(0);
    }

    private static void heap(ThumbnailRenderer renderer, Path warm, Path file) throws Exception {
        warm(renderer, List.of(warm));
        System.gc();
        System.gc();
        long idle = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        pools.forEach(MemoryPoolMXBean::resetPeakUsage);
        boolean reset = resetPeakRss();
        long rssBefore = status(reset ? "VmRSS" : "VmHWM");
        long t = System.nanoTime();
        render(renderer, file);
        double ms = (System.nanoTime() - t) / 1e6;
        long peak = pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.out.printf("probe idle=%d poolpeaks=%d rssbefore=%d rsspeak=%d rssreset=%b ms=%.1f%n", idle, peak,
                rssBefore, status("VmHWM"), reset, ms);
    }

    private static void time(ThumbnailRenderer renderer, int runs, List<String> args) {
        int split = args.indexOf("--");
        warm(renderer, args.subList(0, split).stream().map(Path::of).toList());
        List<Path> files = args.subList(split + 1, args.size()).stream().map(Path::of).toList();
        List<Stats> stats = new ArrayList<>();
        files.forEach(f -> stats.add(new Stats()));
        for (int r = 0; r < runs; r++) {
            for (int i = 0; i < files.size(); i++) {
                long t = System.nanoTime();
                render(renderer, files.get(i));
                stats.get(i).add((System.nanoTime() - t) / 1e6);
            }
        }
        for (int i = 0; i < files.size(); i++) {
            System.out.printf("probe file=%s median=%.1f min=%.1f%n", files.get(i).getFileName(), stats.get(i).median(),
                    stats.get(i).min());
        }
    }

    private static void warm(ThumbnailRenderer renderer, List<Path> files) {
        for (int i = 0; i < 3; i++) {
            for (Path f : files) {
                render(renderer, f);
            }
        }
    }

    static ThumbnailRenderer.Rendition render(ThumbnailRenderer renderer, Path file) {
        ImageFormat format = file.toString().endsWith(".png") ? ImageFormat.PNG : ImageFormat.JPEG;
        try {
            return renderer.render(new ImageIoThumbnailRenderer.FileSource(file, Files.size(file)), format, SPEC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Linux resets VmHWM to the current RSS on "5" written to clear_refs (since 4.0). */
    private static boolean resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** A /proc/self/status field in bytes (kB there). */
    private static long status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }
}
