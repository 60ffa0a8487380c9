package io.imgstream.bench;

import io.imgstream.dev.Deployment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The JVM options a function runs with when deployed, as terraform/functions.tf assembles them: {@code -XX:MaxRAM} (its
 * instance memory) and the 70 % heap share, then Terraform's {@code java_tool_options} default for it (without the
 * first two, a 24 GiB machine would size the heap — and the RSS — for 24 GiB). Read through {@link Deployment}, the
 * one reader of Terraform's function definitions the emulator uses too, so the benchmark cannot drift from the
 * deployment. {@code BENCH_JAVA_OPTS} replaces the Terraform options for every function (the memory stays).
 */
record JvmOptions(String override) {

    /** The baselines run as the functions they stand beside do. */
    static final String BASELINE = "fetch";

    static JvmOptions fromEnvironment(Path root) {
        return new JvmOptions(System.getenv("BENCH_JAVA_OPTS"));
    }

    List<String> forFunction(String function) {
        Deployment.Function deployed = Deployment.functions().stream().filter(f -> f.module().equals(function)).findFirst()
                .orElseGet(() -> Deployment.function(BASELINE));
        if (override == null || override.isBlank()) {
            return deployed.deployedJvmOptions();
        }
        List<String> list = new ArrayList<>(List.of("-XX:MaxRAM=" + deployed.jvmMemory(), "-XX:MaxRAMPercentage=70"));
        list.addAll(Arrays.stream(override.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList());
        return list;
    }
}
