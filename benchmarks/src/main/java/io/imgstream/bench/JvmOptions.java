package io.imgstream.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM options a function runs with when deployed: Terraform's {@code java_tool_options} default for it, read
 * from {@code terraform/variables.tf} (so the benchmark cannot drift from the deployment), and its instance
 * memory, which the JVM reads from the container's limit on Cloud Run and which is emulated here with
 * {@code -XX:MaxRAM} (without it, a 24 GiB machine would size the heap — and the RSS — for 24 GiB), with the 70 % heap
 * share functions.tf gives every function.
 * {@code BENCH_JAVA_OPTS} replaces the Terraform options for every function (the memory stays).
 */
record JvmOptions(Map<String, String> deployed, String override) {

    private static final Map<String, String> MEMORY = Map.of("upload", "1g");
    /** The baselines run as the functions they stand beside do. */
    static final String BASELINE = "fetch";
    private static final Pattern BLOCK = Pattern.compile("variable \"java_tool_options\" \\{.*?default\\s*=\\s*\\{(.*?)}",
            Pattern.DOTALL);
    private static final Pattern ENTRY = Pattern.compile("(\\w+)\\s*=\\s*\"([^\"]*)\"");

    static JvmOptions fromEnvironment(Path root) {
        return new JvmOptions(terraformDefaults(root.resolve("terraform/variables.tf")), System.getenv("BENCH_JAVA_OPTS"));
    }

    /** @return module name (collision-check, not collision_check) → options */
    static Map<String, String> terraformDefaults(Path variablesTf) {
        String text;
        try {
            text = Files.readString(variablesTf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher block = BLOCK.matcher(text);
        if (!block.find()) {
            throw new IllegalStateException("no java_tool_options default in " + variablesTf);
        }
        Map<String, String> options = new HashMap<>();
        Matcher entry = ENTRY.matcher(block.group(1));
        while (entry.find()) {
            options.put(entry.group(1).replace('_', '-'), entry.group(2));
        }
        for (String module : List.of("upload", "fetch", "collision-check", "cleanup")) {
            if (!options.containsKey(module)) {
                throw new IllegalStateException("java_tool_options in " + variablesTf + " has no default for " + module);
            }
        }
        return Map.copyOf(options);
    }

    List<String> forFunction(String function) {
        String options = override != null && !override.isBlank() ? override : deployed.getOrDefault(function, deployed.get(BASELINE));
        List<String> list = new ArrayList<>(Arrays.stream(options.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList());
        // As terraform/functions.tf puts before them in JAVA_TOOL_OPTIONS: the instance memory and Google's launcher's 70 %.
        list.addAll(0, List.of("-XX:MaxRAM=" + MEMORY.getOrDefault(function, "512m"), "-XX:MaxRAMPercentage=70"));
        return list;
    }
}
