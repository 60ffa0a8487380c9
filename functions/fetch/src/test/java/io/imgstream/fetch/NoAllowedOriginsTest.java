package io.imgstream.fetch;

import io.imgstream.support.FunctionServer;
import io.imgstream.dev.TestDatabase;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Without ALLOWED_ORIGINS no origin gets cross-origin access: an empty list must not mean "any". */
class NoAllowedOriginsTest {

    @Test
    void anEmptyListAllowsNoOrigin() throws Exception {
        try (FunctionServer server = FunctionServer.http(Map.of())) {
            TestDatabase.truncateAll();
            String key = server.keyFor("cors");
            HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/images"))
                    .header("X-API-Key", key).header("Origin", "http://localhost:3000"));
            assertEquals(200, r.statusCode(), r::body);
            assertTrue(r.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), r.headers()::toString);
            HttpResponse<String> preflight = server.send(HttpRequest.newBuilder(server.uri("/images"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "http://localhost:3000").header("Access-Control-Request-Method", "GET"));
            assertTrue(preflight.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), preflight.headers()::toString);
        }
    }
}
