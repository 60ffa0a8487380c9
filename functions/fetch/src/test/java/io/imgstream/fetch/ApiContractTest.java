package io.imgstream.fetch;

import io.imgstream.support.ApiContract;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract check itself can fail: each kind of drift it exists to catch is refused, and a true answer passes. */
class ApiContractTest {

    private static final String IMAGE = "{\"id\":\"0b9f6a8e-3c55-4f43-9d0e-3a2f2f0c1a11\",\"filename\":\"a.png\","
            + "\"contentType\":\"image/png\",\"sizeBytes\":81,\"sha256\":\"" + "ab".repeat(32) + "\",\"width\":8,"
            + "\"height\":6,\"orientation\":1,\"displayWidth\":8,\"displayHeight\":6,\"takenAt\":null,\"version\":1,"
            + "\"createdAt\":\"2026-12-07T14:46:30.528765Z\",\"updatedAt\":\"2026-12-07T14:46:30.528765Z\","
            + "\"sameContentAs\":[],\"thumbnailUrl\":\"/images/x/thumbnail?v=1{&size,fit,format}\"%s}";
    private static final String PATH = "/images/0b9f6a8e-3c55-4f43-9d0e-3a2f2f0c1a11";

    @Test
    void passesADocumentedAnswer() {
        assertDoesNotThrow(() -> ApiContract.check(response(PATH, 200, "application/json", IMAGE.formatted(""),
                Map.of("ETag", "\"v1\"", "Cache-Control", "private, no-cache"))));
    }

    @Test
    void refusesAnUndocumentedField() {
        String why = refusal(200, "application/json", IMAGE.formatted(",\"owner\":\"u1\""), Map.of("ETag", "\"v1\""));
        assertTrue(why.contains("owner"), why);
    }

    @Test
    void refusesAnUndocumentedStatus() {
        String why = refusal(409, "application/problem+json", problem(409, "filename_conflict"), Map.of());
        assertTrue(why.contains("409"), why);
    }

    @Test
    void refusesAProblemCodeTheOperationDoesNotList() {
        String why = refusal(404, "application/problem+json", problem(404, "batch_too_large"), Map.of());
        assertTrue(why.contains("batch_too_large"), why);
        String status = refusal(404, "application/problem+json", problem(404, "invalid_filename"), Map.of());
        assertTrue(status.contains("not a code of status 404"), status);
    }

    @Test
    void refusesAnUndocumentedHeader() {
        String why = refusal(200, "application/json", IMAGE.formatted(""),
                Map.of("ETag", "\"v1\"", "X-Storage-Bucket", "prod-images"));
        assertTrue(why.contains("X-Storage-Bucket"), why);
    }

    @Test
    void refusesAWrongMediaType() {
        assertThrows(AssertionError.class, () -> ApiContract.check(response(PATH, 200, "text/plain", "hello",
                Map.of("ETag", "\"v1\""))));
    }

    @Test
    void passesADocumentedHeadAnswer() {
        assertDoesNotThrow(() -> ApiContract.check(response("HEAD", PATH + "/content", 200, "image/png", "",
                Map.of("ETag", "\"v1\"", "Accept-Ranges", "bytes"))));
    }

    @Test
    void refusesAHeadAnswerWithAnUndocumentedStatus() {
        String why = refusal("HEAD", PATH + "/content", 409, "application/problem+json", "", Map.of());
        assertTrue(why.contains("409") && why.contains("headImageContent"), why);
    }

    @Test
    void refusesAnUndocumentedHeaderOnAHeadAnswer() {
        String why = refusal("HEAD", PATH, 200, "application/json", "",
                Map.of("ETag", "\"v1\"", "X-Storage-Bucket", "prod-images"));
        assertTrue(why.contains("X-Storage-Bucket"), why);
    }

    @Test
    void refusesAnAnswerServingAnOperationTheDocumentDoesNotHave() {
        String why = refusal("PUT", PATH, 200, "application/json", IMAGE.formatted(""), Map.of());
        assertTrue(why.contains("no operation"), why);
        assertDoesNotThrow(() -> ApiContract.check(response("PUT", PATH, 405, "application/problem+json",
                problem(405, "method_not_allowed"), Map.of())));
    }

    /** Why the check refuses this answer to {@code GET PATH}; fails the test where it passes it. */
    private static String refusal(int status, String contentType, String body, Map<String, String> headers) {
        return refusal("GET", PATH, status, contentType, body, headers);
    }

    private static String refusal(String method, String path, int status, String contentType, String body,
                                  Map<String, String> headers) {
        return assertThrows(AssertionError.class,
                () -> ApiContract.check(response(method, path, status, contentType, body, headers))).getMessage();
    }

    private static String problem(int status, String code) {
        return "{\"type\":\"https://imgstream.dev/problems/" + code + "\",\"title\":\"t\",\"status\":" + status
                + ",\"detail\":\"d\",\"code\":\"" + code + "\",\"instance\":\"" + PATH + "\"}";
    }

    private static HttpResponse<String> response(String path, int status, String contentType, String body,
                                                 Map<String, String> headers) {
        return response("GET", path, status, contentType, body, headers);
    }

    private static HttpResponse<String> response(String method, String path, int status, String contentType,
                                                 String body, Map<String, String> headers) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:1" + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        Map<String, List<String>> all = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> all.put(k, List.of(v)));
        all.put("Content-Type", List.of(contentType));
        HttpHeaders httpHeaders = HttpHeaders.of(all, (a, b) -> true);
        return new HttpResponse<>() {
            public int statusCode() { return status; }
            public HttpRequest request() { return request; }
            public Optional<HttpResponse<String>> previousResponse() { return Optional.empty(); }
            public HttpHeaders headers() { return httpHeaders; }
            public String body() { return body; }
            public Optional<SSLSession> sslSession() { return Optional.empty(); }
            public URI uri() { return request.uri(); }
            public HttpClient.Version version() { return HttpClient.Version.HTTP_1_1; }
        };
    }
}
