package io.imgstream.support;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import io.imgstream.domain.ErrorCode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Holds every response a function test receives through {@link FunctionServer} to the API document: its status must
 * be documented for the operation, its headers documented (but the transport's), its body valid against the schema
 * with no undocumented field (swagger-request-validator, additional properties refused), and a problem's {@code code}
 * one the operation lists and of the response's status. A violation fails the test that received the response.
 * <p>
 * On when the system property {@value #DOCUMENT_PROPERTY} names the document (a file, or the directory holding the one
 * {@code .yml} there): each HTTP function module's surefire run sets it to the document its compilation wrote (the
 * upload and collision-check functions' parts, fetch's merged whole), read once, lazily. Requests the document has no
 * operation for (an unknown path or method, a CORS preflight) are outside the contract and only counted. Every checked
 * exchange is tallied per operation in {@code target/api-contract/coverage.txt}.
 */
public final class ApiContract {

    public static final String DOCUMENT_PROPERTY = "imgstream.api.document";

    /** Headers of HTTP itself, CORS and caching that every answer may carry without the document naming them. */
    private static final Set<String> TRANSPORT_HEADERS = Set.of("date", "content-length", "content-type", "server",
            "connection", "transfer-encoding", "keep-alive", "vary", "cache-control", ":status");

    private static volatile ApiContract instance;

    private final OpenAPI api;
    private final OpenApiInteractionValidator validator;
    private final List<Route> routes;
    private final Map<String, AtomicInteger> coverage = new ConcurrentHashMap<>();
    private final Path report;

    private record Route(Pattern pattern, String template, int variables) {
    }

    private ApiContract(Path document) throws IOException {
        String yaml = Files.readString(document);
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        this.api = new OpenAPIV3Parser().readContents(yaml, null, options).getOpenAPI();
        if (api == null || api.getPaths() == null) {
            throw new IllegalStateException(document + " is no OpenAPI document");
        }
        this.validator = build(document);
        this.routes = api.getPaths().keySet().stream().map(ApiContract::route)
                .sorted(Comparator.comparingInt(Route::variables)).toList();
        this.report = Path.of("target", "api-contract");
        Files.createDirectories(report);
        Runtime.getRuntime().addShutdownHook(new Thread(this::writeCoverage));
    }

    private static OpenApiInteractionValidator build(Path document) throws IOException {
        ParseOptions options = new ParseOptions();
        OpenAPI api = new OpenAPIV3Parser().readContents(Files.readString(document), null, options).getOpenAPI();
        inlineNullableReferences(api);
        String yaml = io.swagger.v3.core.util.Yaml.mapper().writeValueAsString(api);
        LevelResolver.Builder levels = LevelResolver.create()
                // an undocumented field fails: the validator adds additionalProperties: false to every object schema
                .withLevel("validation.schema.additionalProperties", ValidationReport.Level.ERROR)
                // the contract is about answers; the tests send bad requests on purpose
                .withLevel("validation.request", ValidationReport.Level.IGNORE);
        return OpenApiInteractionValidator.createForInlineApiSpecification(yaml)
                .withLevelResolver(levels.build())
                .withResolveCombinators(true)
                .build();
    }

    /**
     * {@code nullable: true, allOf: [$ref]} (with {@code type: object} beside it) is how OpenAPI 3.0 says "this schema, or null" (micronaut-openapi writes it
     * for a {@code @Nullable} record component); the validator's combinator resolution drops the {@code nullable} and
     * then refuses the null. The same meaning, inlined: a copy of the referenced object schema with {@code nullable}.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void inlineNullableReferences(OpenAPI api) {
        Map<String, io.swagger.v3.oas.models.media.Schema> schemas = api.getComponents().getSchemas();
        for (io.swagger.v3.oas.models.media.Schema<?> schema : schemas.values()) {
            if (schema.getProperties() == null) {
                continue;
            }
            for (Map.Entry<String, io.swagger.v3.oas.models.media.Schema> property : schema.getProperties().entrySet()) {
                io.swagger.v3.oas.models.media.Schema<?> p = property.getValue();
                List<io.swagger.v3.oas.models.media.Schema> refs = p.getAllOf() == null ? List.of()
                        : p.getAllOf().stream().filter(s -> s.get$ref() != null).toList();
                boolean onlyTypes = p.getAllOf() != null && p.getAllOf().stream()
                        .allMatch(s -> s.get$ref() != null || (s.getProperties() == null && "object".equals(s.getType())));
                if (Boolean.TRUE.equals(p.getNullable()) && refs.size() == 1 && onlyTypes) {
                    String ref = refs.get(0).get$ref();
                    io.swagger.v3.oas.models.media.Schema<?> target = schemas.get(ref.substring(ref.lastIndexOf('/') + 1));
                    io.swagger.v3.oas.models.media.Schema copy = new io.swagger.v3.oas.models.media.Schema<>();
                    copy.setType(target.getType());
                    copy.setProperties(target.getProperties());
                    copy.setRequired(target.getRequired());
                    copy.setNullable(true);
                    copy.setDescription(p.getDescription());
                    property.setValue(copy);
                }
            }
        }
    }

    private static Route route(String template) {
        Matcher m = Pattern.compile("\\{[^}]+}").matcher(template);
        StringBuilder regex = new StringBuilder("^");
        int last = 0;
        int variables = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start()))).append("[^/]+");
            last = m.end();
            variables++;
        }
        regex.append(Pattern.quote(template.substring(last))).append("/?$");
        return new Route(Pattern.compile(regex.toString()), template, variables);
    }

    /** The contract in force for this JVM, or null when no document is named. */
    static ApiContract current() {
        String location = System.getProperty(DOCUMENT_PROPERTY);
        if (location == null || location.isBlank()) {
            return null;
        }
        ApiContract contract = instance;
        if (contract == null) {
            synchronized (ApiContract.class) {
                contract = instance;
                if (contract == null) {
                    try {
                        contract = new ApiContract(document(Path.of(location)));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    instance = contract;
                }
            }
        }
        return contract;
    }

    private static Path document(Path location) throws IOException {
        if (!Files.isDirectory(location)) {
            return location;
        }
        try (Stream<Path> files = Files.list(location)) {
            List<Path> yml = files.filter(p -> p.toString().endsWith(".yml")).toList();
            if (yml.size() != 1) {
                throw new IllegalStateException("expected one API document in " + location + ", found " + yml);
            }
            return yml.get(0);
        }
    }

    /** Checks a received response, text or bytes. */
    public static void check(HttpResponse<?> response) {
        ApiContract contract = current();
        if (contract != null) {
            contract.verify(response);
        }
    }

    private void verify(HttpResponse<?> response) {
        java.net.http.HttpRequest request = response.request();
        String method = request.method().toUpperCase(Locale.ROOT);
        String path = request.uri().getRawPath();
        if (request.headers().firstValue("Access-Control-Request-Method").isPresent() && method.equals("OPTIONS")) {
            tally("(CORS preflight, outside the contract)");
            return;
        }
        Route route = routes.stream().filter(r -> r.pattern().matcher(path).matches()).findFirst().orElse(null);
        PathItem item = route == null ? null : api.getPaths().get(route.template());
        // a HEAD answer is held to the document's head operation (status and headers, no body), like any other
        Operation operation = item == null ? null : operation(item, method);
        if (operation == null && item != null && item.getGet() != null && method.equals("HEAD")) {
            // Micronaut answers HEAD on every GET route: the document must say so with a head operation
            String message = method + " " + path + " → " + response.statusCode()
                    + " breaks the API document:\n  no head operation on " + route.template() + ", which has a get";
            record(message);
            throw new AssertionError(message);
        }
        if (operation == null && response.statusCode() < 400) {
            // a refusal of an unknown route or method (404, 405) is outside the document; an answer that serves one is drift
            String message = method + " " + path + " → " + response.statusCode()
                    + " breaks the API document:\n  the document has no operation for it";
            record(message);
            throw new AssertionError(message);
        }
        if (operation == null) {
            tally("(no operation: " + method + " " + path.replaceAll("/[0-9a-f-]{36}", "/{id}") + ")");
            return;
        }
        String name = operation.getOperationId();
        tally(name);
        List<String> violations = new ArrayList<>();
        String contentType = response.headers().firstValue("Content-Type").orElse(null);
        String body = text(response.body(), contentType);
        SimpleResponse.Builder answer = SimpleResponse.Builder.status(response.statusCode());
        response.headers().map().forEach((header, values) -> {
            if (!header.startsWith(":")) {
                answer.withHeader(header, values);
            }
        });
        if (body != null) {
            answer.withBody(body);
        }
        ValidationReport validation = validator.validateResponse(path, Request.Method.valueOf(method), answer.build());
        validation.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .map(m -> m.getKey() + ": " + m.getMessage().replaceAll("/\\d+/", "/*/"))
                .distinct()
                .forEach(violations::add);
        ApiResponse documented = operation.getResponses() == null ? null
                : operation.getResponses().get(Integer.toString(response.statusCode()));
        if (documented != null) {
            Set<String> names = documented.getHeaders() == null ? Set.of() : documented.getHeaders().keySet().stream()
                    .map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
            for (String header : response.headers().map().keySet()) {
                String h = header.toLowerCase(Locale.ROOT);
                if (!TRANSPORT_HEADERS.contains(h) && !h.startsWith("access-control-") && !names.contains(h)) {
                    violations.add("undocumented header " + header + ": " + response.headers().allValues(header));
                }
            }
        }
        if (body != null && contentType != null && contentType.startsWith("application/problem+json")) {
            Matcher code = Pattern.compile("\"code\"\\s*:\\s*\"([a-z_]+)\"").matcher(body);
            if (code.find()) {
                ErrorCode known = Stream.of(ErrorCode.values()).filter(c -> c.code().equals(code.group(1))).findFirst()
                        .orElse(null);
                if (known == null || known.status() != response.statusCode()) {
                    violations.add("problem code " + code.group(1) + " is not a code of status " + response.statusCode());
                }
            }
        }
        if (!violations.isEmpty()) {
            String message = method + " " + path + " → " + response.statusCode() + " (" + name + ") breaks the API document:\n  "
                    + String.join("\n  ", violations) + (body == null ? "" : "\n  body: "
                    + (body.length() > 600 ? body.substring(0, 600) + "…" : body));
            record(message);
            throw new AssertionError(message);
        }
    }

    private static Operation operation(PathItem item, String method) {
        return switch (method) {
            case "GET" -> item.getGet();
            case "POST" -> item.getPost();
            case "PUT" -> item.getPut();
            case "PATCH" -> item.getPatch();
            case "DELETE" -> item.getDelete();
            case "OPTIONS" -> item.getOptions();
            case "HEAD" -> item.getHead();
            default -> null;
        };
    }

    private static String text(Object body, String contentType) {
        if (body instanceof String s) {
            return s.isEmpty() ? null : s;
        }
        if (body instanceof byte[] bytes && bytes.length > 0) {
            boolean text = contentType != null && (contentType.contains("json") || contentType.contains("yaml")
                    || contentType.startsWith("text/") || contentType.contains("javascript"));
            // binary bodies (images) are checked for presence and media type; their schema is type: string
            return new String(bytes, text ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        }
        return null;
    }

    private void tally(String operation) {
        coverage.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
    }

    private synchronized void record(String violation) {
        try {
            Files.writeString(report.resolve("violations.txt"), violation + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeCoverage() {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(coverage).forEach((op, n) -> text.append(n.get()).append('\t').append(op).append('\n'));
        try {
            Files.writeString(report.resolve("coverage.txt"), text);
        } catch (IOException e) {
            // the JVM is going down: nothing to tell
        }
    }
}
