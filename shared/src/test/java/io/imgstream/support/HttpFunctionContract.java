package io.imgstream.support;

import io.imgstream.dev.TestDatabase;
import io.imgstream.application.AdministerAccounts;
import io.imgstream.domain.ApiKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every HTTP function promises, over real HTTP through the Functions Framework invoker: the open
 * health route, every way authentication fails, and the framework's own refusals as problem+json. Each
 * HTTP function module runs it with one of its protected paths.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class HttpFunctionContract {

    protected FunctionServer server;
    protected String key;

    /** A path of this function that needs a key (GET). */
    protected abstract String protectedPath();

    /** A method {@link #protectedPath()} has a route for, as a browser's preflight would ask. */
    protected String routedMethod() {
        return "GET";
    }

    protected Map<String, String> properties() {
        return Map.of();
    }

    /** Browser origins the contract's server allows (local ones: Micronaut refuses others on a loopback host). */
    protected static final String ALLOWED_ORIGIN = "http://localhost:3000";

    @BeforeAll
    void startFunction() {
        Map<String, String> props = new java.util.HashMap<>(properties());
        props.putIfAbsent("imgstream.allowed-origins", ALLOWED_ORIGIN + ", http://127.0.0.1:5173");
        server = FunctionServer.http(props);
        TestDatabase.truncateAll();
        key = server.keyFor("contract");
    }

    @AfterAll
    void stopFunction() throws Exception {
        server.close();
    }

    protected HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return server.send(b);
    }

    protected static void assertProblem(HttpResponse<String> response, int status, String code) {
        assertEquals(status, response.statusCode(), response::body);
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        assertTrue(response.body().contains("\"code\":\"" + code + "\""), response::body);
        assertTrue(response.body().contains("\"status\":" + status), response::body);
        assertTrue(response.body().contains("\"type\":\"https://imgstream.dev/problems/" + code + "\""), response::body);
        assertTrue(!response.body().contains("Exception") && !response.body().contains("at io."), response::body);
    }

    private static void assertUnauthorized(HttpResponse<String> response) {
        assertProblem(response, 401, "unauthorized");
        assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    }

    @Test
    void healthIsOpenAndReportsItsServices() {
        HttpResponse<String> r = get("/health");
        assertEquals(200, r.statusCode(), r::body);
        assertTrue(r.body().contains("\"database\":\"up\"") && r.body().contains("\"storage\":\"up\""), r::body);
        assertTrue(r.body().contains("\"status\":\"ok\"") && r.body().contains("\"version\""), r::body);
    }

    @Test
    void answersWithExactlyOneDateHeader() {
        assertEquals(1, get("/health").headers().allValues("Date").size());
        assertEquals(1, get(protectedPath(), "X-API-Key", key).headers().allValues("Date").size());
        assertEquals(1, get(protectedPath()).headers().allValues("Date").size());
    }

    @Test
    void aValidKeyPassesAsBearerOrHeader() {
        assertNotEquals(401, get(protectedPath(), "Authorization", "Bearer " + key).statusCode());
        assertNotEquals(401, get(protectedPath(), "X-API-Key", key).statusCode());
    }

    @Test
    void refusesAMissingKey() {
        assertUnauthorized(get(protectedPath()));
    }

    @Test
    void refusesAMalformedKey() {
        assertUnauthorized(get(protectedPath(), "Authorization", "Bearer not-a-key"));
    }

    @Test
    void refusesAKeyWithABadChecksum() {
        String bad = key.substring(0, key.length() - 1) + (key.endsWith("0") ? "1" : "0");
        assertUnauthorized(get(protectedPath(), "X-API-Key", bad));
    }

    @Test
    void refusesAnUnknownKey() {
        assertUnauthorized(get(protectedPath(), "Authorization", "Bearer " + ApiKey.generate().reveal()));
    }

    @Test
    void refusesARevokedKey() {
        AdministerAccounts admin = server.sideContext().getBean(AdministerAccounts.class);
        AdministerAccounts.IssuedKey issued = admin.createKey("contract", "to revoke");
        admin.revokeKey("contract", issued.info().id());
        assertUnauthorized(get(protectedPath(), "X-API-Key", issued.key()));
    }

    @Test
    void refusesTwoDifferentKeys() {
        String other = server.keyFor("contract");
        assertProblem(get(protectedPath(), "Authorization", "Bearer " + key, "X-API-Key", other), 400,
                "conflicting_api_keys");
        assertProblem(get(protectedPath(), "Authorization", "Bearer " + key, "Authorization", "Bearer " + other), 400,
                "conflicting_api_keys");
        assertProblem(get(protectedPath(), "X-API-Key", other, "X-API-Key", key), 400, "conflicting_api_keys");
        int once = get(protectedPath(), "X-API-Key", key).statusCode();
        assertTrue(once != 400 && once != 401, "status " + once);
        assertEquals(once, get(protectedPath(), "X-API-Key", key, "X-API-Key", key).statusCode(),
                "the same key twice is one key");
    }

    @Test
    void ignoresAKeyInTheQueryString() {
        String sep = protectedPath().contains("?") ? "&" : "?";
        assertUnauthorized(get(protectedPath() + sep + "key=" + key + "&api_key=" + key + "&apiKey=" + key));
    }

    @Test
    void unknownRouteIsANotFoundProblem() {
        assertProblem(get("/no/such/route", "X-API-Key", key), 404, "not_found");
    }

    @Test
    void malformedPercentEncodingInTheUrlIsABadRequestProblem() throws Exception {
        // java.net.http cannot send such a URL: write the request line by hand. (A malformed escape in the
        // path never reaches a function: the Functions Framework's Jetty answers it with its own 400 page.)
        String sep = protectedPath().contains("?") ? "&" : "?";
        for (String target : new String[] {protectedPath() + sep + "filename=%zz.png", "/health?x=%", "/health?%G0"}) {
            try (Socket socket = new Socket(server.uri("/").getHost(), server.uri("/").getPort())) {
                socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + key
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(response.startsWith("HTTP/1.1 400 "), target + " answered " + response);
                assertTrue(response.toLowerCase(java.util.Locale.ROOT).contains("content-type: application/problem+json"),
                        response);
                assertTrue(response.contains("\"code\":\"bad_request\""), response);
            }
        }
    }

    @Test
    void answersABrowserPreflightFromAnAllowedOriginWithoutAKey() {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri(protectedPath()))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", ALLOWED_ORIGIN).header("Access-Control-Request-Method", routedMethod())
                .header("Access-Control-Request-Headers", "authorization, if-none-match, if-match, if-unmodified-since"));
        assertEquals(200, r.statusCode(), r::body);
        assertEquals(ALLOWED_ORIGIN, r.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertTrue(r.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains(routedMethod()),
                r.headers()::toString);
        String allowed = String.join(",", r.headers().allValues("Access-Control-Allow-Headers")).toLowerCase(java.util.Locale.ROOT);
        assertTrue(allowed.contains("authorization") && allowed.contains("if-match") && allowed.contains("if-unmodified-since"),
                r.headers()::toString);
        assertTrue(r.headers().allValues("Vary").toString().contains("Origin"), r.headers()::toString);
    }

    @Test
    void letsAnAllowedOriginReadAnswersAndTheirValidators() {
        HttpResponse<String> r = get(protectedPath(), "X-API-Key", key, "Origin", ALLOWED_ORIGIN);
        assertEquals(ALLOWED_ORIGIN, r.headers().firstValue("Access-Control-Allow-Origin").orElse(""), r.headers()::toString);
        assertTrue(r.headers().firstValue("Access-Control-Expose-Headers").orElse("").contains("ETag"), r.headers()::toString);
        assertTrue(r.headers().firstValue("Access-Control-Allow-Credentials").isEmpty(), "keys are headers, not cookies");
    }

    @Test
    void givesOtherOriginsNoCrossOriginAccess() {
        for (String origin : new String[] {"http://localhost:4000", "http://localhost:3000.evil"}) {
            HttpResponse<String> r = get(protectedPath(), "X-API-Key", key, "Origin", origin);
            assertTrue(r.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), origin + ": " + r.headers());
            HttpResponse<String> preflight = server.send(HttpRequest.newBuilder(server.uri(protectedPath()))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", origin).header("Access-Control-Request-Method", "GET"));
            assertTrue(preflight.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), origin + ": " + preflight.headers());
        }
    }

    /** Micronaut's CORS filter refuses with a bare 403; every error here is a problem, that one too. */
    @Test
    void refusesAnotherOriginWithAProblem() {
        HttpResponse<String> r = get(protectedPath(), "X-API-Key", key, "Origin", "https://evil.example");
        assertProblem(r, 403, "origin_not_allowed");
        HttpResponse<String> preflight = server.send(HttpRequest.newBuilder(server.uri(protectedPath()))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example").header("Access-Control-Request-Method", routedMethod()));
        assertProblem(preflight, 403, "origin_not_allowed");
    }

    @Test
    void wrongMethodIsAMethodNotAllowedProblem() {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/health"))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{}")).header("X-API-Key", key));
        assertProblem(r, 405, "method_not_allowed");
    }
}
