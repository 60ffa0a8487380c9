package io.imgstream.bench;

import io.imgstream.dev.Scratch;
import io.imgstream.dev.TestImages;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Cold start of each function, process launch to first answers, next to the bare Functions Framework hello
 * in the same run and with the same JVM options: to {@code /health} 200 and to the first authenticated,
 * database-backed 2xx; peak RSS.
 */
final class ColdStartSuite {

    /** {@code BENCH_CDS=1}: measure the class-path + AppCDS configuration instead of the deployed one. */
    static final boolean CDS = "1".equals(System.getenv("BENCH_CDS"));
    /**
     * {@code BENCH_COMPARE_ADD} / {@code BENCH_COMPARE_DROP}: JVM options added to / removed from each target's own for a
     * variant that runs interleaved with it (A, B, A, B, …), so that a lever is judged against the same minutes of a
     * noisy machine rather than against another run.
     */
    static final List<String> COMPARE_ADD = tokens(System.getenv("BENCH_COMPARE_ADD"));
    static final List<String> COMPARE_DROP = tokens(System.getenv("BENCH_COMPARE_DROP"));
    /**
     * {@code BENCH_COMPARE_JARS}: the root of another checkout (built with {@code mvn -DskipTests install}) whose function
     * jars are the variant, run interleaved with this checkout's under the same options: a change's before and after in the
     * same minutes. The bare hello stays this checkout's in both.
     */
    static final String COMPARE_JARS = System.getenv("BENCH_COMPARE_JARS");
    static final boolean COMPARE = !COMPARE_ADD.isEmpty() || !COMPARE_DROP.isEmpty()
            || (COMPARE_JARS != null && !COMPARE_JARS.isBlank());

    private record Target(String name, String function, String classpath, String entryPoint, Function<FunctionProcess, HttpRequest.Builder> health,
                          Function<FunctionProcess, HttpRequest.Builder> firstDbRequest) {
    }

    static void run(Path root, int runs, JvmOptions javaOptions) throws Exception {
        try (BenchEnvironment env = new BenchEnvironment(Map.of())) {
            String key = env.key;
            String http = "io.imgstream.web.ImgStreamHttpFunction";
            List<Target> targets = List.of(
                    new Target("bare hello (baseline)", JvmOptions.BASELINE, root.resolve("benchmarks/target/classes").toString(),
                            HelloFunction.class.getName(), p -> get(p, "/", null), p -> get(p, "/", null)),
                    new Target("upload", "upload", jar(root, "upload"), http, p -> get(p, "/health", null),
                            p -> HttpRequest.newBuilder(p.uri("/images?filename=cold-" + UUID.randomUUID() + ".png"))
                                    .header("Authorization", "Bearer " + key)
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(TestImages.png(UUID.randomUUID().hashCode())))),
                    new Target("fetch", "fetch", jar(root, "fetch"), http, p -> get(p, "/health", null), p -> get(p, "/images", key)),
                    new Target("collision-check", "collision-check", jar(root, "collision-check"), http, p -> get(p, "/health", null),
                            p -> HttpRequest.newBuilder(p.uri("/collision-check")).header("Authorization", "Bearer " + key)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"filenames\":[\"a.png\"]}"))),
                    new Target("cleanup", "cleanup", jar(root, "cleanup"), "io.imgstream.cleanup.CleanupFunction", null,
                            ColdStartSuite::cleanupEvent));

            if (COMPARE && CDS) {
                throw new IllegalArgumentException("BENCH_COMPARE_* and BENCH_CDS cannot be combined");
            }
            Map<String, Stats[]> results = new LinkedHashMap<>();
            Map<String, Stats[]> variant = new LinkedHashMap<>();
            Path archives = CDS ? Scratch.directory("bench-cds") : null;
            for (Target target : targets) {
                Stats health = new Stats();
                Stats db = new Stats();
                Stats rss = new Stats();
                Stats cpu = new Stats();
                List<String> options = new ArrayList<>(javaOptions.forFunction(target.function()));
                if (CDS) {
                    // training run: the JVM writes the classes it loaded to the archive when it exits
                    Path archive = archives.resolve(target.function() + "-" + results.size() + ".jsa");
                    List<String> training = new ArrayList<>(options);
                    training.add("-XX:ArchiveClassesAtExit=" + archive);
                    try (FunctionProcess p = FunctionProcess.start(target.classpath(), target.entryPoint(), training,
                            env.functionEnv(), true)) {
                        if (target.health() != null) {
                            p.until(target.health().apply(p), Duration.ofMinutes(2));
                        }
                        p.until(target.firstDbRequest().apply(p), Duration.ofMinutes(2));
                    }
                    options.add("-XX:SharedArchiveFile=" + archive);
                }
                List<String> variantOptions = new ArrayList<>(options);
                variantOptions.removeAll(COMPARE_DROP);
                variantOptions.addAll(COMPARE_ADD); // last, so that they win over the deployed ones
                Stats[] b = {new Stats(), new Stats(), new Stats(), new Stats()};
                for (int i = 0; i < runs; i++) {
                    measure(target, options, env, health, db, rss, cpu);
                    if (COMPARE) {
                        measure(variant(target), variantOptions, env, b[0], b[1], b[2], b[3]);
                    }
                }
                results.put(target.name(), new Stats[]{health, db, rss, cpu});
                variant.put(target.name(), b);
            }
            double baseline = results.get("bare hello (baseline)")[1].median();
            if (CDS) {
                System.out.println("\nBENCH_CDS=1: every target (baseline included) on the JVM's class path next to the invoker,"
                        + " with an AppCDS archive from one training run (not what Cloud Run functions runs; see BENCHMARKS.md)");
            }
            System.out.printf("%nCold start: process launch to first 2xx, %d runs each; JVM options as deployed: %s%n", runs,
                    targets.stream().map(t -> t.name() + " " + String.join(" ", javaOptions.forFunction(t.function())))
                            .collect(java.util.stream.Collectors.joining("; ")));
            System.out.printf("%-22s %-24s %-24s %10s %8s %8s%n", "target", "to /health (min/med/max)",
                    "to first DB 2xx (min/med/max)", "peak RSS", "CPU", "ratio");
            results.forEach((name, s) -> System.out.printf("%-22s %-24s %-24s %7.0f MB %6.2f s %7.2fx%n", name,
                    s[0].count() == 0 ? "-" : fmt(s[0]), fmt(s[1]), s[2].median(), s[3].median(), s[1].median() / baseline));
            System.out.println("ratio = median to first DB-backed 2xx ÷ median of the bare hello's first 200;"
                    + " CPU = median CPU time (user + system) of the process up to that answer");
            if (COMPARE) {
                double variantBaseline = variant.get("bare hello (baseline)")[1].median();
                if (COMPARE_JARS != null && !COMPARE_JARS.isBlank()) {
                    System.out.printf("%nVariant jars: %s%n", COMPARE_JARS);
                }
                System.out.printf("%nVariant, run interleaved with the table above: each target's options %s%s%n",
                        COMPARE_ADD.isEmpty() ? "" : "plus " + String.join(" ", COMPARE_ADD),
                        COMPARE_DROP.isEmpty() ? "" : (COMPARE_ADD.isEmpty() ? "" : ", ") + "without " + String.join(" ", COMPARE_DROP));
                System.out.printf("%-22s %-24s %-24s %10s %8s %8s %12s %10s%n", "target", "to /health (min/med/max)",
                        "to first DB 2xx (min/med/max)", "peak RSS", "CPU", "ratio", "time ÷ above", "CPU ÷ above");
                variant.forEach((name, v) -> System.out.printf("%-22s %-24s %-24s %7.0f MB %6.2f s %7.2fx %11.2fx %9.2fx%n",
                        name, v[0].count() == 0 ? "-" : fmt(v[0]), fmt(v[1]), v[2].median(), v[3].median(),
                        v[1].median() / variantBaseline, v[1].median() / results.get(name)[1].median(),
                        v[3].median() / results.get(name)[3].median()));
            }
        }
    }

    /** The variant of a target: the same function from the {@code BENCH_COMPARE_JARS} checkout, if one is named. */
    private static Target variant(Target target) {
        if (COMPARE_JARS == null || COMPARE_JARS.isBlank() || target.function().equals(JvmOptions.BASELINE)) {
            return target;
        }
        return new Target(target.name(), target.function(), jar(Path.of(COMPARE_JARS), target.function()), target.entryPoint(),
                target.health(), target.firstDbRequest());
    }

    private static void measure(Target target, List<String> options, BenchEnvironment env, Stats health, Stats db, Stats rss,
                                Stats cpu) throws Exception {
        try (FunctionProcess p = FunctionProcess.start(target.classpath(), target.entryPoint(), options,
                env.functionEnv(), CDS)) {
            if (target.health() != null) {
                health.add(p.until(target.health().apply(p), Duration.ofMinutes(2)));
            }
            db.add(p.until(target.firstDbRequest().apply(p), Duration.ofMinutes(2)));
            rss.add(p.peakRssMb());
            cpu.add(p.cpuSeconds());
        }
    }

    private static List<String> tokens(String options) {
        return options == null || options.isBlank() ? List.of() : List.of(options.trim().split("\\s+"));
    }

    private static String fmt(Stats s) {
        return String.format("%.2f/%.2f/%.2f s", s.min(), s.median(), s.max());
    }

    private static String jar(Path root, String module) {
        return root.resolve("functions/" + module + "/target/imgstream-" + module + "-function.jar").toString();
    }

    private static HttpRequest.Builder get(FunctionProcess p, String path, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(p.uri(path)).GET();
        return key == null ? b : b.header("Authorization", "Bearer " + key);
    }

    private static HttpRequest.Builder cleanupEvent(FunctionProcess p) {
        String data = Base64.getEncoder().encodeToString("{\"tasks\":[\"monitoring_events\"]}".getBytes(StandardCharsets.UTF_8));
        String event = "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"//pubsub.googleapis.com/projects/b/topics/c\","
                + "\"type\":\"google.cloud.pubsub.topic.v1.messagePublished\",\"datacontenttype\":\"application/json\","
                + "\"data\":{\"message\":{\"data\":\"" + data + "\",\"messageId\":\"1\"},\"subscription\":\"s\"}}";
        return HttpRequest.newBuilder(p.uri("/")).header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofString(event));
    }
}
