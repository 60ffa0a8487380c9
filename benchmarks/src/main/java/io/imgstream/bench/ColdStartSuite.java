package io.imgstream.bench;

import com.google.cloud.functions.invoker.runner.Invoker;
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
 * Cold start of each function, process launch to first answers, next to the bare Functions Framework hello (the
 * floor) and the peer frameworks' hellos (Micronaut's, Micronaut's with the design card's persistence stack, Spring Cloud
 * Function's, Quarkus's; {@code benchmarks/peers/}) in the same run, interleaved, under the same invoker, JVM options
 * and emulated instance memory: to {@code /health} 200 and to the first authenticated, database-backed 2xx; CPU; peak RSS.
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
    /**
     * {@code BENCH_TARGETS}: a comma-separated subset to measure (function names such as {@code upload,fetch}, or a peer's
     * name as the table prints it); the floor is always measured. Unset: every target.
     */
    static final List<String> ONLY = System.getenv("BENCH_TARGETS") == null || System.getenv("BENCH_TARGETS").isBlank()
            ? List.of() : List.of(System.getenv("BENCH_TARGETS").trim().split("\\s*,\\s*"));
    static final boolean COMPARE = !COMPARE_ADD.isEmpty() || !COMPARE_DROP.isEmpty()
            || (COMPARE_JARS != null && !COMPARE_JARS.isBlank());

    /**
     * A measured process. {@code kind}: the floor, a peer framework's hello, or one of our functions; {@code unavailable}
     * says why a peer could not be had (it is printed as such, never dropped).
     */
    private record Target(String name, Kind kind, String function, String classpath, String entryPoint,
                          Function<FunctionProcess, HttpRequest.Builder> health,
                          Function<FunctionProcess, HttpRequest.Builder> firstDbRequest, String unavailable) {
        Target(String name, Kind kind, String function, String classpath, String entryPoint,
               Function<FunctionProcess, HttpRequest.Builder> health, Function<FunctionProcess, HttpRequest.Builder> first) {
            this(name, kind, function, classpath, entryPoint, health, first, null);
        }
    }

    enum Kind { FLOOR, PEER, OURS }

    static final String FLOOR = "bare hello (floor)";
    static final String MICRONAUT = "Micronaut hello";
    static final String MICRONAUT_DATA = "Micronaut + Data JDBC hello";
    static final String SPRING = "Spring Cloud Function hello";
    static final String QUARKUS = "Quarkus REST hello";

    /** One target's figures, for the table and the chart. */
    record Row(String name, Kind kind, Stats health, Stats first, Stats rss, Stats cpu, String unavailable) {
    }

    static List<Row> run(Path root, int runs, JvmOptions javaOptions) throws Exception {
        try (BenchEnvironment env = new BenchEnvironment(Map.of())) {
            String key = env.key;
            String http = "io.imgstream.web.ImgStreamHttpFunction";
            String base = JvmOptions.BASELINE; // the peers run with fetch's options and memory, as the floor does
            List<Target> targets = new ArrayList<>();
            targets.add(new Target(FLOOR, Kind.FLOOR, base, root.resolve("benchmarks/target/classes").toString(),
                    HelloFunction.class.getName(), null, p -> get(p, "/", null)));
            targets.add(peer(root, MICRONAUT, "micronaut-hello", "target/micronaut-hello-function.jar",
                    "io.micronaut.gcp.function.http.HttpFunction", p -> get(p, "/hello", null)));
            targets.add(peer(root, MICRONAUT_DATA, "micronaut-data-hello", "target/micronaut-data-hello-function.jar",
                    "io.micronaut.gcp.function.http.HttpFunction", p -> get(p, "/hello", null)));
            targets.add(peer(root, SPRING, "spring-hello", "target/deploy/spring-hello.jar",
                    "org.springframework.cloud.function.adapter.gcp.GcfJarLauncher",
                    p -> HttpRequest.newBuilder(p.uri("/")).header("Content-Type", "text/plain")
                            .POST(HttpRequest.BodyPublishers.ofString("hello"))));
            targets.add(peer(root, QUARKUS, "quarkus-hello", "target/deployment/quarkus-hello-runner.jar",
                    "io.quarkus.gcp.functions.http.QuarkusHttpFunction", p -> get(p, "/hello", null)));
            targets.add(new Target("upload", Kind.OURS, "upload", jar(root, "upload"), http, p -> get(p, "/health", null),
                    p -> HttpRequest.newBuilder(p.uri("/images?filename=cold-" + UUID.randomUUID() + ".png"))
                            .header("Authorization", "Bearer " + key)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(TestImages.png(UUID.randomUUID().hashCode())))));
            targets.add(new Target("fetch", Kind.OURS, "fetch", jar(root, "fetch"), http, p -> get(p, "/health", null),
                    p -> get(p, "/images", key)));
            targets.add(new Target("collision-check", Kind.OURS, "collision-check", jar(root, "collision-check"), http,
                    p -> get(p, "/health", null),
                    p -> HttpRequest.newBuilder(p.uri("/collision-check")).header("Authorization", "Bearer " + key)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"filenames\":[\"a.png\"]}"))));
            targets.add(new Target("cleanup", Kind.OURS, "cleanup", jar(root, "cleanup"), "io.imgstream.cleanup.CleanupFunction", null,
                    ColdStartSuite::cleanupEvent));
            if (!ONLY.isEmpty()) {
                targets.removeIf(t -> t.kind() != Kind.FLOOR && !ONLY.contains(t.function().equals(base) && t.kind() == Kind.PEER
                        ? t.name() : t.function()));
            }
            List<Target> measured = targets.stream().filter(t -> t.unavailable() == null).toList();

            if (COMPARE && CDS) {
                throw new IllegalArgumentException("BENCH_COMPARE_* and BENCH_CDS cannot be combined");
            }
            Map<String, Stats[]> results = new LinkedHashMap<>();
            Map<String, Stats[]> variant = new LinkedHashMap<>();
            Map<String, List<String>> options = new LinkedHashMap<>();
            Map<String, List<String>> variantOptions = new LinkedHashMap<>();
            Path archives = CDS ? Scratch.directory("bench-cds") : null;
            for (Target target : measured) {
                List<String> own = new ArrayList<>(javaOptions.forFunction(target.function()));
                if (CDS) {
                    // training run: the JVM writes the classes it loaded to the archive when it exits
                    Path archive = archives.resolve(target.function() + "-" + options.size() + ".jsa");
                    List<String> training = new ArrayList<>(own);
                    training.add("-XX:ArchiveClassesAtExit=" + archive);
                    try (FunctionProcess p = FunctionProcess.start(target.classpath(), target.entryPoint(), training,
                            env.functionEnv(), true)) {
                        if (target.health() != null) {
                            p.until(target.health().apply(p), Duration.ofMinutes(2));
                        }
                        p.until(target.firstDbRequest().apply(p), Duration.ofMinutes(2));
                    }
                    own.add("-XX:SharedArchiveFile=" + archive);
                }
                List<String> other = new ArrayList<>(own);
                other.removeAll(COMPARE_DROP);
                other.addAll(COMPARE_ADD); // last, so that they win over the deployed ones
                options.put(target.name(), own);
                variantOptions.put(target.name(), other);
                results.put(target.name(), new Stats[]{new Stats(), new Stats(), new Stats(), new Stats()});
                variant.put(target.name(), new Stats[]{new Stats(), new Stats(), new Stats(), new Stats()});
            }
            // Interleaved: each round starts every target once, so that a slow minute of the machine hits them all alike.
            for (int i = 0; i < runs; i++) {
                for (Target target : measured) {
                    Stats[] r = results.get(target.name());
                    measure(target, options.get(target.name()), env, r[0], r[1], r[2], r[3]);
                    if (COMPARE) {
                        Stats[] b = variant.get(target.name());
                        measure(variant(target), variantOptions.get(target.name()), env, b[0], b[1], b[2], b[3]);
                    }
                }
            }
            double baseline = results.get(FLOOR)[1].median();
            if (CDS) {
                System.out.println("\nBENCH_CDS=1: every target (baseline included) on the JVM's class path next to the invoker,"
                        + " with an AppCDS archive from one training run (not what Cloud Run functions runs; see BENCHMARKS.md)");
            }
            System.out.printf("%nCold start: process launch to first 2xx, %d interleaved rounds; java-function-invoker %s;"
                            + " JVM options as deployed: %s%n", runs,
                    invokerVersion(),
                    measured.stream().filter(t -> t.kind() != Kind.PEER)
                            .map(t -> t.name() + " " + String.join(" ", javaOptions.forFunction(t.function())))
                            .collect(java.util.stream.Collectors.joining("; ")) + "; the peers as the floor");
            Stats[] data = results.get(MICRONAUT_DATA);
            System.out.printf("%-28s %-24s %-24s %10s %8s %8s %10s%n", "target", "to /health (min/med/max)",
                    "to first 2xx (min/med/max)", "peak RSS", "CPU", "÷ floor", "÷ µ+data");
            List<Row> rows = new ArrayList<>();
            for (Target t : targets) {
                if (t.unavailable() != null) {
                    System.out.printf("%-28s unavailable: %s%n", t.name(), t.unavailable());
                    rows.add(new Row(t.name(), t.kind(), null, null, null, null, t.unavailable()));
                    continue;
                }
                Stats[] s = results.get(t.name());
                System.out.printf("%-28s %-24s %-24s %7.0f MB %6.2f s %7.2fx %9s%n", t.name(),
                        s[0].count() == 0 ? "-" : fmt(s[0]), fmt(s[1]), s[2].median(), s[3].median(), s[1].median() / baseline,
                        data == null ? "-" : String.format("%.2fx", s[1].median() / data[1].median()));
                rows.add(new Row(t.name(), t.kind(), s[0], s[1], s[2], s[3], null));
            }
            System.out.println("first 2xx: the floor and the Micronaut/Spring/Quarkus hellos their hello (the Micronaut + Data"
                    + " JDBC hello after one repository count()); our functions their first authenticated, database-backed"
                    + " answer. ÷ floor / ÷ µ+data = median ÷ the floor's / the Micronaut + Data JDBC hello's median;"
                    + " CPU = median CPU time (user + system) of the process up to that answer");
            verdicts(results, targets);
            if (COMPARE) {
                double variantBaseline = variant.get(FLOOR)[1].median();
                if (COMPARE_JARS != null && !COMPARE_JARS.isBlank()) {
                    System.out.printf("%nVariant jars: %s%n", COMPARE_JARS);
                }
                System.out.printf("%nVariant, run interleaved with the table above: each target's options %s%s%n",
                        COMPARE_ADD.isEmpty() ? "" : "plus " + String.join(" ", COMPARE_ADD),
                        COMPARE_DROP.isEmpty() ? "" : (COMPARE_ADD.isEmpty() ? "" : ", ") + "without " + String.join(" ", COMPARE_DROP));
                System.out.printf("%-28s %-24s %-24s %10s %8s %8s %12s %10s%n", "target", "to /health (min/med/max)",
                        "to first 2xx (min/med/max)", "peak RSS", "CPU", "ratio", "time ÷ above", "CPU ÷ above");
                variant.forEach((name, v) -> System.out.printf("%-28s %-24s %-24s %7.0f MB %6.2f s %7.2fx %11.2fx %9.2fx%n",
                        name, v[0].count() == 0 ? "-" : fmt(v[0]), fmt(v[1]), v[2].median(), v[3].median(),
                        v[1].median() / variantBaseline, v[1].median() / results.get(name)[1].median(),
                        v[3].median() / results.get(name)[3].median()));
            }
            return rows;
        }
    }

    /** The targets, judged on this run's medians: met, not met, or why it cannot be judged. */
    private static void verdicts(Map<String, Stats[]> results, List<Target> targets) {
        System.out.println("Targets (this run's medians):");
        Stats[] data = results.get(MICRONAUT_DATA);
        Stats[] spring = results.get(SPRING);
        Stats[] quarkus = results.get(QUARKUS);
        for (Target t : targets) {
            if (t.kind() != Kind.OURS) {
                continue;
            }
            // on time to the first answer, and on the CPU it took (steadier when other work shares the machine's cores)
            for (int m : new int[]{1, 3}) {
                double ours = results.get(t.name())[m].median();
                System.out.printf("  %-16s %-5s ≤ 1.10 × Micronaut + Data JDBC hello: %s; below Spring Cloud Function hello: %s%n",
                        t.name(), m == 1 ? "time" : "CPU",
                        data == null ? "cannot be judged (" + why(targets, MICRONAUT_DATA) + ")"
                                : String.format("%.2fx, %s", ours / data[m].median(), ours <= 1.10 * data[m].median() ? "met" : "not met"),
                        spring == null ? "cannot be judged (" + why(targets, SPRING) + ")"
                                : String.format("%.2f vs %.2f s, %s", ours, spring[m].median(), ours < spring[m].median() ? "met" : "not met"));
            }
        }
        if (results.get("upload") == null || results.get("fetch") == null) {
            return;
        }
        for (int m : new int[]{1, 3}) {
            double upload = results.get("upload")[m].median();
            double fetch = results.get("fetch")[m].median();
            System.out.printf("  upload within 10 %% of fetch (%s): %.2fx, %s%n", m == 1 ? "time" : "CPU", upload / fetch,
                    upload <= 1.10 * fetch ? "met" : "not met");
        }
        double fetch = results.get("fetch")[1].median();
        System.out.printf("  stretch, fetch at or below the Quarkus REST hello: %s%n", quarkus == null
                ? "cannot be judged (" + why(targets, QUARKUS) + ")"
                : String.format("%.2f vs %.2f s, %s", fetch, quarkus[1].median(), fetch <= quarkus[1].median() ? "met" : "not met"));
    }

    /** The invoker's version, from its manifest or else its jar's name in the local Maven repository. */
    private static String invokerVersion() {
        String version = Invoker.class.getPackage().getImplementationVersion();
        if (version != null) {
            return version;
        }
        String jar = Path.of(Invoker.class.getProtectionDomain().getCodeSource().getLocation().getPath()).getFileName().toString();
        return jar.startsWith("java-function-invoker-") && jar.endsWith(".jar")
                ? jar.substring("java-function-invoker-".length(), jar.length() - ".jar".length()) : "(version unknown: " + jar + ")";
    }

    private static String why(List<Target> targets, String name) {
        return targets.stream().filter(t -> t.name().equals(name)).map(t -> "unavailable: " + t.unavailable()).findFirst()
                .orElse("not measured");
    }

    private static Target peer(Path root, String name, String project, String artifact, String entryPoint,
                               Function<FunctionProcess, HttpRequest.Builder> hello) throws Exception {
        Peers.Build build = Peers.build(root, project, artifact);
        return new Target(name, Kind.PEER, JvmOptions.BASELINE, build.classpath(), entryPoint, null, hello, build.unavailable());
    }

    /** The variant of a target: the same function from the {@code BENCH_COMPARE_JARS} checkout, if one is named. */
    private static Target variant(Target target) {
        if (COMPARE_JARS == null || COMPARE_JARS.isBlank() || target.kind() != Kind.OURS) {
            return target;
        }
        return new Target(target.name(), target.kind(), target.function(), jar(Path.of(COMPARE_JARS), target.function()),
                target.entryPoint(), target.health(), target.firstDbRequest());
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
