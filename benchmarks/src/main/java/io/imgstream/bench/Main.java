package io.imgstream.bench;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

/** {@code ./bench [suite…]}: runs the benchmark suites and prints their tables. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("imgstream.root", ".")).toAbsolutePath().normalize();
        List<String> suites = args.length == 0 || (args.length == 1 && args[0].isBlank())
                ? List.of("coldstart", "collision", "cleanup", "upload", "fetch", "thumbnail")
                : Arrays.stream(String.join(" ", args).trim().split("\\s+")).toList();
        int runs = Integer.parseInt(System.getenv().getOrDefault("BENCH_RUNS", "5"));
        JvmOptions javaOptions = JvmOptions.fromEnvironment(root);
        System.out.printf("ImgStream benchmarks — %s, %d cores, Java %s (%s)%n", LocalDate.now(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), System.getProperty("java.vm.name"));
        for (String suite : suites) {
            switch (suite) {
                case "coldstart" -> {
                    List<ColdStartSuite.Row> rows = ColdStartSuite.run(root, runs, javaOptions);
                    // the committed chart pictures a whole run, never a BENCH_TARGETS subset
                    if (ColdStartSuite.ONLY.isEmpty()) {
                        System.out.println("chart: " + root.relativize(Charts.coldStart(root, rows, runs)));
                    }
                }
                case "collision" -> CollisionSuite.run(root, javaOptions);
                case "cleanup" -> CleanupSuite.run();
                case "upload" -> UploadSuite.run(root, javaOptions);
                case "fetch" -> FetchSuite.run(root, javaOptions);
                case "thumbnail" -> ThumbnailSuite.run(root, javaOptions);
                case "resumable" -> ResumableSuite.run(root, javaOptions);
                case "scaling" -> ScalingSuite.run(root);
                default -> System.out.println("unknown suite " + suite
                        + " (coldstart, collision, cleanup, upload, fetch, thumbnail, resumable, scaling)");
            }
        }
        System.exit(0);
    }
}
