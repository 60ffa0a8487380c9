package io.imgstream.fetch;

import io.imgstream.domain.ErrorCode;
import io.imgstream.support.FunctionServer;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API document as served: GET /openapi.yaml without a key, one valid OpenAPI 3 document holding every function's
 * part unchanged, with stable operation ids, problem codes per operation, and the configured server; /docs renders it
 * from bundled files under a strict CSP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiDocumentTest {

    /** The operation ids clients and generated code name: changing one is a breaking change of the API. */
    static final Set<String> OPERATION_IDS = Set.of("uploadImage", "deleteImage", "getUploadCapabilities", "createUpload",
            "getUploadState", "appendUploadChunk", "appendUploadChunkOverride", "terminateUpload", "listImages",
            "getImageByName", "getImage", "getImageContent", "getImageThumbnail", "checkCollisions", "getCollisionStats",
            "getHealth", "getApiDocument", "getApiDocs", "getApiDocsAsset",
            // Micronaut answers HEAD on every GET route; the build writes each one's head (openapi-head/)
            "headUploadState", "headListImages", "headImageByName", "headImage", "headImageContent",
            "headImageThumbnail", "headCollisionStats", "headHealth", "headApiDocument", "headApiDocs",
            "headApiDocsAsset");

    private FunctionServer server;
    private String yaml;
    private OpenAPI api;

    @BeforeAll
    void start() {
        server = FunctionServer.http(Map.of());
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/openapi.yaml")));
        assertEquals(200, r.statusCode(), r::body);
        assertEquals("application/yaml", r.headers().firstValue("Content-Type").orElse(""));
        yaml = r.body();
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(yaml, null, null);
        assertTrue(parsed.getMessages() == null || parsed.getMessages().isEmpty(), () -> "" + parsed.getMessages());
        api = parsed.getOpenAPI();
        assertNotNull(api);
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    @Test
    void servesOneOpenApi3DocumentWithoutAKey() {
        assertTrue(yaml.startsWith("openapi: 3.0"), yaml.substring(0, 40));
        assertEquals("http://127.0.0.1:8080", api.getServers().get(0).getUrl());
        assertEquals(Set.of("bearer", "apiKey"), api.getComponents().getSecuritySchemes().keySet());
        HttpResponse<String> head = server.send(HttpRequest.newBuilder(server.uri("/openapi.yaml"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, head.statusCode());
    }

    @Test
    void namesEveryOperationOnceWithAStableId() {
        List<String> ids = new ArrayList<>();
        api.getPaths().values().forEach(item -> item.readOperations().forEach(op -> ids.add(op.getOperationId())));
        assertEquals(OPERATION_IDS, new TreeSet<>(ids));
        assertEquals(ids.size(), new TreeSet<>(ids).size(), () -> "an operation id is used twice: " + ids);
        assertEquals(Set.of("/health", "/openapi.yaml", "/docs", "/docs/{name}", "/images", "/images/by-name", "/images/{id}",
                "/images/{id}/content", "/images/{id}/thumbnail", "/uploads", "/uploads/{id}", "/collision-check",
                "/collision-check/stats"), api.getPaths().keySet());
    }

    @Test
    void asksForAKeyEverywhereButHealthAndTheDocument() {
        api.getPaths().forEach((path, item) -> item.readOperations().forEach(op -> {
            boolean open = Set.of("getHealth", "getApiDocument", "getApiDocs", "getApiDocsAsset", "headHealth",
                    "headApiDocument", "headApiDocs", "headApiDocsAsset").contains(op.getOperationId());
            assertEquals(open, op.getSecurity() == null || op.getSecurity().isEmpty(), op.getOperationId());
            if (!open) {
                assertEquals(2, op.getSecurity().size(), op.getOperationId());
            }
        }));
    }

    @Test
    void listsTheProblemCodesOfEveryErrorAnswer() {
        Set<String> known = new TreeSet<>();
        Stream.of(ErrorCode.values()).forEach(c -> known.add(c.code()));
        api.getPaths().forEach((path, item) -> item.readOperations().forEach(op -> op.getResponses().forEach((status, r) -> {
            int code = Integer.parseInt(status);
            // a HEAD answer has no body (headsAreTheGetsAnswersWithoutBodies); its GET lists the codes
            if (code < 400 || op.getOperationId().equals("getHealth") || op == item.getHead()) {
                return;
            }
            var media = r.getContent() == null ? null : r.getContent().get("application/problem+json");
            assertNotNull(media, op.getOperationId() + " " + status + " is no problem+json");
            List<String> codes = codes(media.getSchema());
            assertFalse(codes.isEmpty(), op.getOperationId() + " " + status + " lists no code");
            assertTrue(known.containsAll(codes), op.getOperationId() + " " + status + ": " + codes);
            assertTrue(codes.stream().anyMatch(c -> ErrorCode.valueOf(c.toUpperCase()).status() == code),
                    op.getOperationId() + " " + status + " lists no code of that status: " + codes);
        })));
    }

    @Test
    void headsAreTheGetsAnswersWithoutBodies() {
        api.getPaths().forEach((path, item) -> {
            Operation get = item.getGet();
            Operation head = item.getHead();
            if (get == null) {
                assertEquals(null, head, path + " has a head but no get");
                return;
            }
            assertNotNull(head, path + " answers HEAD (Micronaut, on every GET route) but documents no head operation");
            // docs/decisions.md: a leading get becomes head, any other id gets head in front
            String id = get.getOperationId();
            assertEquals(id.matches("get[A-Z].*") ? "head" + id.substring(3)
                    : "head" + Character.toUpperCase(id.charAt(0)) + id.substring(1), head.getOperationId(), path);
            assertEquals(get.getParameters(), head.getParameters(), path);
            assertEquals(get.getSecurity(), head.getSecurity(), path);
            assertEquals(get.getResponses().keySet(), head.getResponses().keySet(), path);
            get.getResponses().forEach((status, answer) -> {
                var headAnswer = head.getResponses().get(status);
                assertEquals(answer.getHeaders(), headAnswer.getHeaders(), path + " " + status);
                assertEquals(answer.getDescription(), headAnswer.getDescription(), path + " " + status);
                assertEquals(null, headAnswer.getContent(), path + " " + status + ": a HEAD answer has no body");
            });
        });
    }

    /** What the document says of HEAD is what the function does: each HEAD answer is also held to it (ApiContract). */
    @Test
    void answersHeadOnTheOpenGetPathsWithTheGetsStatusAndHeaders() {
        for (String path : List.of("/health", "/openapi.yaml", "/docs", "/docs/swagger-ui.css")) {
            HttpResponse<String> get = server.send(HttpRequest.newBuilder(server.uri(path)));
            HttpResponse<String> head = server.send(HttpRequest.newBuilder(server.uri(path))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()));
            assertEquals(get.statusCode(), head.statusCode(), path);
            assertEquals("", head.body(), path);
            Set<String> getHeaders = new TreeSet<>(get.headers().map().keySet());
            Set<String> headHeaders = new TreeSet<>(head.headers().map().keySet());
            // the framing may differ, and HEAD /health names no Content-Type (HTTP lets a HEAD answer leave it out)
            for (String transport : List.of("date", "content-length", "transfer-encoding", "content-type")) {
                getHeaders.remove(transport);
                headHeaders.remove(transport);
            }
            assertEquals(getHeaders, headHeaders, path);
            head.headers().firstValue("Content-Type").ifPresent(type ->
                    assertEquals(get.headers().firstValue("Content-Type").orElse(""), type, path));
        }
    }

    private List<String> codes(Schema<?> schema) {
        if (schema.get$ref() != null) {
            return codes(api.getComponents().getSchemas().get(schema.get$ref().substring("#/components/schemas/".length())));
        }
        List<String> codes = new ArrayList<>();
        if (schema.getAllOf() != null) {
            for (Schema<?> part : schema.getAllOf()) {
                Schema<?> code = part.get$ref() == null && part.getProperties() != null ? part.getProperties().get("code") : null;
                if (code != null && code.getEnum() != null) {
                    code.getEnum().forEach(v -> codes.add(v.toString()));
                }
            }
        }
        return codes;
    }

    @Test
    void holdsEachFunctionsPartUnchanged() throws Exception {
        Path fragments = Path.of("target", "openapi-fragments");
        List<Path> parts;
        try (Stream<Path> files = Files.list(fragments)) {
            parts = files.sorted().toList();
        }
        assertEquals(List.of("imgstream-collision-check.yml", "imgstream-upload.yml"),
                parts.stream().map(p -> p.getFileName().toString()).toList(),
                "the upload and collision-check functions build first and write their parts (functions/fetch/pom.xml)");
        for (Path part : parts) {
            OpenAPI fragment = new OpenAPIV3Parser().readContents(Files.readString(part), null, null).getOpenAPI();
            fragment.getPaths().forEach((path, item) -> {
                PathItem merged = api.getPaths().get(path);
                assertNotNull(merged, part + ": " + path);
                for (Map.Entry<PathItem.HttpMethod, Operation> op : item.readOperationsMap().entrySet()) {
                    assertEquals(op.getValue(), merged.readOperationsMap().get(op.getKey()), part + ": " + op.getKey() + " " + path);
                }
            });
            fragment.getComponents().getSchemas().forEach((name, schema) ->
                    assertEquals(schema, api.getComponents().getSchemas().get(name), part + ": schema " + name));
        }
    }

    @Test
    void namesTheConfiguredPublicBaseUrl() throws Exception {
        try (FunctionServer configured = FunctionServer.http(Map.of("imgstream.api-base-url", "https://img.example.com/"))) {
            HttpResponse<String> r = configured.send(HttpRequest.newBuilder(configured.uri("/openapi.yaml")));
            OpenAPI served = new OpenAPIV3Parser().readContents(r.body(), null, null).getOpenAPI();
            assertEquals("https://img.example.com", served.getServers().get(0).getUrl());
            assertEquals(api.getPaths(), served.getPaths());
        }
    }

    @Test
    void rendersTheDocumentFromBundledFilesUnderAStrictPolicy() {
        HttpResponse<String> page = server.send(HttpRequest.newBuilder(server.uri("/docs")));
        assertEquals(200, page.statusCode(), page::body);
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.startsWith("default-src 'none'; script-src 'self'; style-src 'self'"), csp);
        assertFalse(csp.contains("unsafe") || csp.contains("http"), csp);
        assertFalse(page.body().contains("http"), "the page loads nothing from elsewhere: " + page.body());
        assertFalse(page.body().matches("(?s).*<script>.*"), "no inline script");
        for (String asset : List.of("/docs/swagger-ui-bundle.js", "/docs/swagger-ui.css", "/docs/init.js",
                "/docs/favicon-32x32.png")) {
            HttpResponse<byte[]> r = server.sendForBytes(HttpRequest.newBuilder(server.uri(asset)));
            assertEquals(200, r.statusCode(), asset);
            assertEquals(csp, r.headers().firstValue("Content-Security-Policy").orElse(""), asset);
            assertTrue(r.body().length > 0, asset);
        }
        HttpResponse<String> init = server.send(HttpRequest.newBuilder(server.uri("/docs/init.js")));
        assertTrue(init.body().contains("url: \"/openapi.yaml\"") && init.body().contains("validatorUrl: null"), init.body());
        HttpResponse<String> missing = server.send(HttpRequest.newBuilder(server.uri("/docs/index.css")));
        assertEquals(404, missing.statusCode());
        assertEquals("application/problem+json", missing.headers().firstValue("Content-Type").orElse(""));
    }
}
