package io.imgstream.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imgstream.dev.Command;
import io.imgstream.support.FunctionServer;
import io.swagger.v3.parser.OpenAPIV3Parser;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code /docs} in a real browser: headless Chromium (the machine's, apt {@code chromium}; {@code CHROMIUM} names
 * another) driven by puppeteer-core (npm, pinned in src/test/browser) opens the page the fetch function serves, and
 * Swagger UI renders every operation of the document from the bundled files, under the strict CSP, with no violation,
 * no console error and nothing loaded from elsewhere. Skipped, with the reason, where Node, npm or Chromium is absent
 * or the package cannot be installed.
 */
class ApiDocsBrowserTest {

    @Test
    void rendersEveryOperationUnderTheStrictPolicyWithNothingFromElsewhere() throws Exception {
        assumeTrue(Command.onPath("node") && Command.onPath("npm"), "Node and npm are not installed: puppeteer cannot run");
        String chromium = Stream.of(System.getenv("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser")
                .filter(p -> p != null && Files.isExecutable(Path.of(p))).findFirst().orElse(null);
        assumeTrue(chromium != null, "no Chromium (apt-get install chromium, or CHROMIUM=/path): /docs not opened in a browser");
        Path dir = Path.of("target", "docs-browser").toAbsolutePath();
        Files.createDirectories(dir);
        for (String name : List.of("package.json", "package-lock.json", "docs-page.mjs")) {
            Files.copy(Path.of("src", "test", "browser", name), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isRegularFile(dir.resolve("node_modules/puppeteer-core/package.json"))) {
            Command.Result install = Command.run(dir, List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), 300);
            assumeTrue(install.code() == 0, "npm ci puppeteer-core failed (offline?): " + install.output());
        }
        try (FunctionServer server = FunctionServer.http(Map.of())) {
            check(server, dir, chromium);
        }
    }

    private static void check(FunctionServer server, Path dir, String chromium) throws Exception {
        String base = server.uri("/").toString().replaceAll("/$", "");
        Command.Result run = Command.run(dir, List.of("node", "docs-page.mjs", base + "/docs", chromium), 120);
        assertEquals(0, run.code(), run.output());
        String json = run.output().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("");
        JsonNode page = new ObjectMapper().readTree(json);

        assertEquals("ImgStream", page.get("title").asText().replaceAll("\\s.*", ""), json);
        List<String> documented = new ArrayList<>();
        new OpenAPIV3Parser().readContents(server.send(HttpRequest.newBuilder(server.uri("/openapi.yaml"))).body(),
                null, null).getOpenAPI().getPaths().forEach((path, item) -> item.readOperationsMap().keySet()
                .forEach(method -> documented.add(method.name() + " " + path)));
        List<String> rendered = new ArrayList<>();
        page.get("operations").forEach(o -> rendered.add(o.asText().toUpperCase(Locale.ROOT).replaceFirst(" .*", "")
                + o.asText().substring(o.asText().indexOf(' '))));
        assertEquals(new TreeSet<>(documented), new TreeSet<>(rendered), "every operation rendered, once");
        assertEquals(documented.size(), rendered.size(), json);
        assertTrue(page.get("responses").size() > 0, "an expanded operation lists its answers: " + json);
        assertEquals(0, page.get("violations").size(), "no CSP violation: " + page.get("violations"));
        assertEquals(0, page.get("errors").size(), "no console error or failed request: " + page.get("errors"));
        for (JsonNode request : page.get("requests")) {
            String url = request.get("url").asText();
            assertTrue(url.startsWith(base + "/") || url.startsWith("data:"), "loaded from elsewhere: " + url);
            assertEquals(200, request.get("status").asInt(), url);
        }
        assertTrue(json.contains(base + "/openapi.yaml"), "the page read the served document: " + json);
    }
}
