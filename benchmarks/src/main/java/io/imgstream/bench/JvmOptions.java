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
 * from {@code terraform/variables.tf} (so the benchmark cannot drift from the deployment), and its instance memory (the
 * {@code functions} variable's default, read the same way), given as functions.tf gives it: {@code -XX:MaxRAM} and the
 * 70 % heap share (without them, a 24 GiB machine would size the heap — and the RSS — for 24 GiB).
 * {@code BENCH_JAVA_OPTS} replaces the Terraform options for every function (the memory stays).
 */
record JvmOptions(Map<String, String> deployed, Map<String, String> memory, String override) {

    /** The baselines run as the functions they stand beside do. */
    static final String BASELINE = "fetch";
    private static final Pattern TOOL_OPTIONS = Pattern.compile(
            "variable \"java_tool_options\" \\{.*?default\\s*=\\s*\\{(.*?)}", Pattern.DOTALL);
    private static final Pattern TOOL_OPTIONS_ENTRY = Pattern.compile("(\\w+)\\s*=\\s*\"([^\"]*)\"");
    private static final Pattern SIZING = Pattern.compile(
            "variable \"functions\" \\{.*?default\\s*=\\s*\\{(.*?)\\n  }", Pattern.DOTALL);
    private static final Pattern SIZING_ENTRY = Pattern.compile("(\\w+)\\s*=\\s*\\{\\s*memory\\s*=\\s*\"([^\"]+)\"");

    static JvmOptions fromEnvironment(Path root) {
        Path variablesTf = root.resolve("terraform/variables.tf");
        String text;
        try {
            text = Files.readString(variablesTf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> memory = new HashMap<>();
        // The instance memory in the JVM's units, as functions.tf's jvm_max_ram writes it (512Mi -> 512m, 1Gi -> 1g).
        perFunction(text, SIZING, SIZING_ENTRY, "functions").forEach((function, size) ->
                memory.put(function, size.replace("Gi", "g").replace("Mi", "m").toLowerCase(java.util.Locale.ROOT)));
        return new JvmOptions(perFunction(text, TOOL_OPTIONS, TOOL_OPTIONS_ENTRY, "java_tool_options"), Map.copyOf(memory),
                System.getenv("BENCH_JAVA_OPTS"));
    }

    /** @return module name (collision-check, not collision_check) → the value of the variable's default for it */
    static Map<String, String> perFunction(String variablesTf, Pattern block, Pattern entry, String variable) {
        Matcher m = block.matcher(variablesTf);
        if (!m.find()) {
            throw new IllegalStateException("no " + variable + " default in terraform/variables.tf");
        }
        Map<String, String> values = new HashMap<>();
        Matcher e = entry.matcher(m.group(1));
        while (e.find()) {
            values.put(e.group(1).replace('_', '-'), e.group(2));
        }
        for (String module : List.of("upload", "fetch", "collision-check", "cleanup")) {
            if (!values.containsKey(module)) {
                throw new IllegalStateException(variable + " in terraform/variables.tf has no default for " + module);
            }
        }
        return Map.copyOf(values);
    }

    List<String> forFunction(String function) {
        String options = override != null && !override.isBlank() ? override : deployed.getOrDefault(function, deployed.get(BASELINE));
        List<String> list = new ArrayList<>(Arrays.stream(options.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList());
        // As terraform/functions.tf puts before them in JAVA_TOOL_OPTIONS: the instance memory and Google's launcher's 70 %.
        list.addAll(0, List.of("-XX:MaxRAM=" + memory.getOrDefault(function, memory.get(BASELINE)), "-XX:MaxRAMPercentage=70"));
        return list;
    }
}
