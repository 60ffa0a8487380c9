package io.imgstream.dev;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import com.bertramlabs.plugins.hcl4j.HCLParserException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The deployable functions as Terraform defines them — the one truth the local emulator and the benchmarks read, so
 * that neither keeps a copy of the list or of the JVM options: {@code local.function_specs} of terraform/main.tf (key,
 * Maven module, entry point, HTTP or not, in their order) and, from terraform/variables.tf, each function's defaults of
 * {@code java_tool_options} and of {@code functions} (its instance memory). The files travel in this module's jar
 * (copied from terraform/ at build time), so a packaged emulator reads the same text as the repository holds.
 */
public final class Deployment {

    private static final String RESOURCES = "/io/imgstream/dev/terraform/";
    private static volatile List<Function> functions;

    /**
     * One function.
     *
     * @param key             Terraform's key ({@code collision_check})
     * @param module          its Maven module under functions/ ({@code collision-check})
     * @param entryPoint      the class the invoker loads when deployed
     * @param emulatorEntryPoint the class the local emulator runs (cleanup: the CloudEvent function behind its port)
     * @param http            whether HTTP clients call it (cleanup is triggered by Pub/Sub)
     * @param javaToolOptions {@code java_tool_options}' default for it
     * @param memory          its instance memory as Terraform writes it ({@code 512Mi}, {@code 1Gi})
     */
    public record Function(String key, String module, String entryPoint, String emulatorEntryPoint, boolean http,
                           String javaToolOptions, String memory) {

        /** The module's name in camel case, as local.json names the function ({@code collisionCheck}). */
        public String jsonName() {
            StringBuilder name = new StringBuilder();
            for (String word : module.split("-")) {
                name.append(name.length() == 0 ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1));
            }
            return name.toString();
        }

        /**
         * The JVM options as functions.tf assembles JAVA_TOOL_OPTIONS: the instance memory and the 70 % heap share that
         * Google's launcher would otherwise have applied, then {@code java_tool_options}.
         */
        public List<String> deployedJvmOptions() {
            List<String> options = new ArrayList<>(List.of("-XX:MaxRAM=" + jvmMemory(), "-XX:MaxRAMPercentage=70"));
            options.addAll(javaToolOptionList());
            return options;
        }

        public List<String> javaToolOptionList() {
            return List.of(javaToolOptions.trim().split("\\s+")).stream().filter(s -> !s.isEmpty()).toList();
        }

        /** {@link #memory} in the JVM's units (512Mi → 512m, 1Gi → 1g), as functions.tf's jvm_max_ram writes it. */
        public String jvmMemory() {
            return memory.replace("Gi", "g").replace("Mi", "m").toLowerCase(Locale.ROOT);
        }
    }

    private Deployment() {
    }

    /** Every function, in function_specs' order (read once per JVM: the files are in the jar). */
    public static List<Function> functions() {
        List<Function> read = functions;
        if (read == null) {
            read = read();
            functions = read;
        }
        return read;
    }

    @SuppressWarnings("unchecked")
    private static List<Function> read() {
        Map<String, Object> main = parse("main.tf");
        Map<String, Object> variables = (Map<String, Object>) parse("variables.tf").get("variable");
        Map<String, Map<String, Object>> specs = (Map<String, Map<String, Object>>) locals(main).get("function_specs");
        Map<String, String> toolOptions = (Map<String, String>) defaults(variables, "java_tool_options");
        Map<String, Map<String, Object>> sizing = (Map<String, Map<String, Object>>) defaults(variables, "functions");
        if (specs == null || specs.isEmpty()) {
            throw new IllegalStateException("terraform/main.tf defines no local.function_specs");
        }
        List<Function> functions = new ArrayList<>();
        specs.forEach((key, spec) -> {
            String options = toolOptions.get(key);
            Map<String, Object> size = sizing.get(key);
            if (options == null || size == null || size.get("memory") == null) {
                throw new IllegalStateException("terraform/variables.tf has no java_tool_options or functions default for "
                        + key);
            }
            String entryPoint = (String) spec.get("entry_point");
            functions.add(new Function(key, (String) spec.get("module"), entryPoint,
                    (String) spec.getOrDefault("emulator_entry_point", entryPoint), Boolean.TRUE.equals(spec.get("http")),
                    options, (String) size.get("memory")));
        });
        return List.copyOf(functions);
    }

    /** The function of this Maven module ({@code collision-check}). */
    public static Function function(String module) {
        return functions().stream().filter(f -> f.module().equals(module)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no function of module " + module + " in terraform/main.tf"));
    }

    /** hcl4j gives one {@code locals} block as a map, several as a list of maps. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> locals(Map<String, Object> main) {
        Object locals = main.get("locals");
        if (locals instanceof List<?> blocks) {
            Map<String, Object> merged = new java.util.LinkedHashMap<>();
            blocks.forEach(b -> merged.putAll((Map<String, Object>) b));
            return merged;
        }
        return locals == null ? Map.of() : (Map<String, Object>) locals;
    }

    @SuppressWarnings("unchecked")
    private static Object defaults(Map<String, Object> variables, String name) {
        Map<String, Object> variable = variables == null ? null : (Map<String, Object>) variables.get(name);
        if (variable == null || variable.get("default") == null) {
            throw new IllegalStateException("terraform/variables.tf has no default for variable " + name);
        }
        return variable.get("default");
    }

    /**
     * hcl4j 0.9 prints a trace of every {@code for} expression it evaluates to standard output; the emulator's console
     * is the user's, so the parse runs with standard output muted (once, at start, before anything else prints).
     */
    private static synchronized Map<String, Object> parse(String file) {
        java.io.PrintStream out = System.out;
        try (InputStream in = Deployment.class.getResourceAsStream(RESOURCES + file)) {
            if (in == null) {
                throw new IllegalStateException("terraform/" + file + " is not in the dev jar: build the dev module");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            return new HCLParser().parse(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (HCLParserException e) {
            throw new IllegalStateException("terraform/" + file + " cannot be parsed: " + e.getMessage(), e);
        } finally {
            System.setOut(out);
        }
    }
}
