package io.imgstream.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The JVM options a function runs with when deployed: Terraform's {@code java_tool_options} for it, and its
 * instance memory, which the JVM reads from the container's limit on Cloud Run and which is emulated here with
 * {@code -XX:MaxRAM} (without it, a 24 GiB machine would size the heap — and the RSS — for 24 GiB).
 * {@code BENCH_JAVA_OPTS} replaces the Terraform options for every function (the memory stays).
 */
record JvmOptions(String override) {

    /** terraform/variables.tf: java_tool_options and function_sizing memory, per function. */
    private static final Map<String, String> DEPLOYED = Map.of(
            "upload", "-XX:+UseSerialGC",
            "fetch", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
            "collision-check", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
            "cleanup", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
    private static final Map<String, String> MEMORY = Map.of("upload", "1g");
    /** The baselines run as the functions they stand beside do. */
    static final String BASELINE = "fetch";

    static JvmOptions fromEnvironment() {
        return new JvmOptions(System.getenv("BENCH_JAVA_OPTS"));
    }

    List<String> forFunction(String function) {
        String options = override != null && !override.isBlank() ? override : DEPLOYED.getOrDefault(function, DEPLOYED.get(BASELINE));
        List<String> list = new ArrayList<>(Arrays.stream(options.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList());
        list.add("-XX:MaxRAM=" + MEMORY.getOrDefault(function, "512m"));
        return list;
    }
}
