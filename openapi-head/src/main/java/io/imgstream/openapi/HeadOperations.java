package io.imgstream.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes into an OpenAPI document the {@code head} operation of every path that has a {@code get}: Micronaut answers
 * HEAD on each {@code @Get} route (same status and headers, no body), but micronaut-openapi documents only the GET.
 * <p>
 * The HEAD operation is the GET's, with operation id {@link #headId(String)}, the same parameters, security and
 * responses (status codes and headers), and no response content. A path that already has a {@code head} (an explicit
 * {@code @Head} method, or a part merged from a document this step already went over) keeps it, so the step can run
 * again over its own output.
 */
public final class HeadOperations {

    private static final String HEAD_DESCRIPTION = "The GET's answer without its body: the same status codes and"
            + " headers (Micronaut answers HEAD on every GET route).";

    private final ObjectMapper yaml;

    /** @param yaml the mapper the document was written with, so what this step leaves alone is written the same */
    public HeadOperations(ObjectMapper yaml) {
        this.yaml = yaml;
    }

    /**
     * The HEAD operation's id for a GET's: a leading {@code get} becomes {@code head} ({@code getImageContent} →
     * {@code headImageContent}); any other id gets {@code head} in front ({@code listImages} → {@code headListImages}).
     */
    public static String headId(String getId) {
        if (getId.startsWith("get") && getId.length() > 3 && Character.isUpperCase(getId.charAt(3))) {
            return "head" + getId.substring(3);
        }
        return "head" + Character.toUpperCase(getId.charAt(0)) + getId.substring(1);
    }

    /**
     * Adds the missing HEAD operations to the document in {@code file}, rewriting it only if one was missing.
     *
     * @return how many HEAD operations were added
     * @throws IllegalStateException if a HEAD operation's id is already another operation's
     */
    public int addTo(Path file) throws IOException {
        JsonNode root = yaml.readTree(file.toFile());
        JsonNode paths = root.path("paths");
        if (!paths.isObject()) {
            return 0;
        }
        Set<String> ids = new HashSet<>();
        paths.forEach(item -> item.forEach(operation -> {
            if (operation.hasNonNull("operationId")) {
                ids.add(operation.get("operationId").asText());
            }
        }));
        int added = 0;
        for (Map.Entry<String, JsonNode> path : List.copyOf(paths.properties())) {
            JsonNode get = path.getValue().get("get");
            if (get == null || path.getValue().has("head")) {
                continue;
            }
            ObjectNode head = head((ObjectNode) get);
            String id = head.path("operationId").asText();
            if (!id.isEmpty() && !ids.add(id)) {
                throw new IllegalStateException(file + ": the HEAD operation of " + path.getKey() + " would be "
                        + id + ", which another operation already is");
            }
            // replacing a key's value keeps its place, so the paths stay in micronaut-openapi's order
            ((ObjectNode) paths).set(path.getKey(), withHeadAfterGet((ObjectNode) path.getValue(), head));
            added++;
        }
        if (added > 0) {
            yaml.writeValue(file.toFile(), root);
        }
        return added;
    }

    private static ObjectNode head(ObjectNode get) {
        ObjectNode head = get.deepCopy();
        if (get.hasNonNull("operationId")) {
            head.put("operationId", headId(get.get("operationId").asText()));
        }
        if (get.hasNonNull("summary")) {
            head.put("summary", get.get("summary").asText() + " (headers only)");
        }
        head.put("description", HEAD_DESCRIPTION);
        head.remove("requestBody");
        head.path("responses").forEach(response -> {
            if (response instanceof ObjectNode answer) {
                answer.remove("content");
                answer.remove("links");
            }
        });
        return head;
    }

    /** The path item with {@code head} right after {@code get}, where a reader looks for it. */
    private ObjectNode withHeadAfterGet(ObjectNode item, ObjectNode head) {
        ObjectNode ordered = yaml.createObjectNode();
        for (Map.Entry<String, JsonNode> field : item.properties()) {
            ordered.set(field.getKey(), field.getValue());
            if (field.getKey().equals("get")) {
                ordered.set("head", head);
            }
        }
        return ordered;
    }

    /** The documents micronaut-openapi wrote in a class output directory's {@code META-INF/swagger}. */
    static Iterable<Path> documents(Path classOutput) throws IOException {
        Path swagger = classOutput.resolve("META-INF").resolve("swagger");
        if (!Files.isDirectory(swagger)) {
            return Set.of();
        }
        try (var files = Files.list(swagger)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".yml")).sorted().toList();
        }
    }
}
