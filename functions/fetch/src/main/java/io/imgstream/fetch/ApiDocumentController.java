package io.imgstream.fetch;

import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.ImgStreamException;
import io.imgstream.web.ApiProblems;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /openapi.yaml}: the API document, generated at build time (META-INF/swagger/imgstream.yml), with its
 * {@code servers} URL from {@code API_BASE_URL}; {@code GET /docs}: the document rendered by Swagger UI from the
 * swagger-ui webjar in this jar (no CDN), under a CSP that lets the page load its own script and style only.
 * Neither needs a key ({@link io.imgstream.web.ApiKeyFilter}).
 */
@Controller
@Tag(name = "document")
public class ApiDocumentController {

    /** The server named in the generated document: the local gateway. */
    static final String DEFAULT_SERVER = "http://127.0.0.1:8080";
    static final String DOCUMENT = "META-INF/swagger/imgstream.yml";
    static final String DOCS_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final Map<String, String> ASSETS = Map.of(
            "swagger-ui-bundle.js", "application/javascript",
            "swagger-ui.css", "text/css",
            "favicon-32x32.png", "image/png");

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();
    private final byte[] document;
    private final String swaggerUi;

    public ApiDocumentController(@Value("${imgstream.api-base-url:}") @Nullable String apiBaseUrl) {
        String yaml = new String(read(DOCUMENT), StandardCharsets.UTF_8);
        String base = apiBaseUrl == null || apiBaseUrl.isBlank() ? null : apiBaseUrl.trim().replaceAll("/+$", "");
        if (base != null) {
            if (!base.matches("https?://[^/?#\\s]+(/[^?#\\s]*)?")) {
                throw new ImgStreamException(ErrorCode.INTERNAL_ERROR, "API_BASE_URL is '" + base
                        + "', which is not a base URL: http(s)://host[:port][/path]");
            }
            yaml = yaml.replace("- url: " + DEFAULT_SERVER + "\n", "- url: " + base + "\n");
        }
        this.document = yaml.getBytes(StandardCharsets.UTF_8);
        Properties webjar = new Properties();
        try (InputStream in = resource("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            webjar.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.swaggerUi = "META-INF/resources/webjars/swagger-ui/" + webjar.getProperty("version") + "/";
    }

    @Operation(operationId = "getApiDocument", summary = "This document (OpenAPI 3, YAML)")
    @SecurityRequirements
    @ApiResponse(responseCode = "200", description = "The document",
            headers = @Header(name = "Cache-Control", schema = @Schema(type = "string")),
            content = @Content(mediaType = "application/yaml", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "403", description = "A browser origin not in ALLOWED_ORIGINS",
            content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.Forbidden.class)))
    @Get(value = "/openapi.yaml", produces = "application/yaml")
    public HttpResponse<byte[]> document() {
        return HttpResponse.ok(document).contentType("application/yaml")
                .header(HttpHeaders.CACHE_CONTROL, "public, max-age=300");
    }

    @Operation(operationId = "getApiDocs", summary = "This document, rendered (Swagger UI)")
    @SecurityRequirements
    @ApiResponse(responseCode = "200", description = "An HTML page",
            headers = {@Header(name = "Content-Security-Policy", schema = @Schema(type = "string")),
                    @Header(name = "X-Content-Type-Options", schema = @Schema(type = "string")),
                    @Header(name = "Cache-Control", schema = @Schema(type = "string"))},
            content = @Content(mediaType = "text/html", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "403", description = "A browser origin not in ALLOWED_ORIGINS",
            content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.Forbidden.class)))
    @Get(value = "/docs", produces = MediaType.TEXT_HTML)
    public HttpResponse<byte[]> docs() {
        return asset(read("imgstream-docs/index.html"), "text/html; charset=utf-8");
    }

    @Operation(operationId = "getApiDocsAsset", summary = "A file of the rendered document (Swagger UI's script, style, icon)",
            parameters = @Parameter(name = "name", in = ParameterIn.PATH, required = true, schema = @Schema(type = "string",
                    allowableValues = {"init.js", "swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"})))
    @SecurityRequirements
    @ApiResponse(responseCode = "200", description = "The file",
            headers = {@Header(name = "Content-Security-Policy", schema = @Schema(type = "string")),
                    @Header(name = "X-Content-Type-Options", schema = @Schema(type = "string")),
                    @Header(name = "Cache-Control", schema = @Schema(type = "string"))},
            content = {@Content(mediaType = "application/javascript", schema = @Schema(type = "string")),
                    @Content(mediaType = "text/css", schema = @Schema(type = "string")),
                    @Content(mediaType = "image/png", schema = @Schema(type = "string", format = "binary"))})
    @ApiResponse(responseCode = "404", description = "No such file",
            content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.NotFound.class)))
    @ApiResponse(responseCode = "403", description = "A browser origin not in ALLOWED_ORIGINS",
            content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.Forbidden.class)))
    @Get(value = "/docs/{name}", produces = MediaType.ALL)
    public HttpResponse<byte[]> docsAsset(String name) {
        if (name.equals("init.js")) {
            return asset(read("imgstream-docs/init.js"), "application/javascript");
        }
        String type = ASSETS.get(name);
        if (type == null) {
            throw new ImgStreamException(ErrorCode.NOT_FOUND, "No such file of the API docs.");
        }
        return asset(cache.computeIfAbsent(name, n -> read(swaggerUi + n)), type);
    }

    private static HttpResponse<byte[]> asset(byte[] bytes, String contentType) {
        return HttpResponse.ok(bytes).contentType(contentType)
                .header("Content-Security-Policy", DOCS_CSP)
                .header("X-Content-Type-Options", "nosniff")
                .header(HttpHeaders.CACHE_CONTROL, "public, max-age=3600");
    }

    private static byte[] read(String name) {
        try (InputStream in = resource(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = ApiDocumentController.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the class path: the build writes it (micronaut-openapi,"
                    + " the swagger-ui webjar)");
        }
        return in;
    }
}
