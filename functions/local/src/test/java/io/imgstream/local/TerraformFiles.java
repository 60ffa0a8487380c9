package io.imgstream.local;

import com.bertramlabs.plugins.hcl4j.HCLParser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * terraform/*.tf read twice: parsed by hcl4j (the structure: blocks, arguments, which it partly evaluates), and as text,
 * for the expressions hcl4j evaluates away (conditionals, interpolations, function calls).
 */
final class TerraformFiles {

    static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    static final Path MODULE = ROOT.resolve("terraform");

    /** type → name → parsed body. */
    final Map<String, Map<String, Map<String, Object>>> resources = new LinkedHashMap<>();
    final Map<String, Map<String, Object>> variables = new LinkedHashMap<>();
    final Map<String, Map<String, Object>> outputs = new LinkedHashMap<>();
    /** file name → its text. */
    final Map<String, String> texts = new LinkedHashMap<>();

    @SuppressWarnings("unchecked")
    static TerraformFiles load() throws Exception {
        TerraformFiles tf = new TerraformFiles();
        List<Path> files;
        try (Stream<Path> s = Files.list(MODULE)) {
            files = s.filter(p -> p.toString().endsWith(".tf")).sorted().toList();
        }
        for (Path file : files) {
            tf.texts.put(file.getFileName().toString(), Files.readString(file));
            Map<String, Object> hcl = new HCLParser().parse(file.toFile(), "UTF-8");
            ((Map<String, Map<String, Map<String, Object>>>) hcl.getOrDefault("resource", Map.of())).forEach(
                    (type, byName) -> tf.resources.computeIfAbsent(type, t -> new LinkedHashMap<>()).putAll(byName));
            tf.variables.putAll((Map<String, Map<String, Object>>) hcl.getOrDefault("variable", Map.of()));
            tf.outputs.putAll((Map<String, Map<String, Object>>) hcl.getOrDefault("output", Map.of()));
        }
        return tf;
    }

    Map<String, Map<String, Object>> resources(String type) {
        return resources.getOrDefault(type, Map.of());
    }

    Map<String, Object> resource(String type, String name) {
        Map<String, Object> r = resources(type).get(name);
        if (r == null) {
            throw new AssertionError("no resource " + type + "." + name);
        }
        return r;
    }

    Object variableDefault(String name) {
        Map<String, Object> v = variables.get(name);
        if (v == null) {
            throw new AssertionError("no variable " + name);
        }
        return v.get("default");
    }

    /** The source text of {@code resource "type" "name" { … }}, braces matched. */
    String resourceText(String type, String name) {
        Pattern start = Pattern.compile("(?m)^resource \"" + Pattern.quote(type) + "\" \"" + Pattern.quote(name) + "\" \\{");
        for (String text : texts.values()) {
            Matcher m = start.matcher(text);
            if (m.find()) {
                int depth = 0;
                for (int i = m.end() - 1; i < text.length(); i++) {
                    char c = text.charAt(i);
                    if (c == '{') {
                        depth++;
                    } else if (c == '}' && --depth == 0) {
                        return text.substring(m.start(), i + 1);
                    }
                }
            }
        }
        throw new AssertionError("no resource " + type + "." + name + " in the text");
    }

    /** Every {@code resource "type" "name"} header of one file, as "type.name". */
    List<String> resourceHeaders(String file) {
        Matcher m = Pattern.compile("(?m)^resource \"([a-z0-9_]+)\" \"([a-z0-9_]+)\"").matcher(texts.get(file));
        List<String> found = new java.util.ArrayList<>();
        while (m.find()) {
            found.add(m.group(1) + "." + m.group(2));
        }
        return found;
    }
}
