package io.imgstream.cleanup;

import io.imgstream.support.FunctionServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cleanup function as it is deployed (terraform/messaging.tf): the Functions Framework's http signature, driven by
 * the cleanup subscription's Pub/Sub push requests. A 2xx acknowledges the message; anything else makes Pub/Sub deliver
 * it again and, after the subscription's attempts, dead-letter it.
 */
class CleanupPushTest {

    private static final String USER = "00000000-0000-0000-0000-0000000000c2";
    private static final Map<String, String> PROPS = Map.of("imgstream.cleanup.grace-period", "0s");

    @RegisterExtension
    static final CleanupFixture fixture = new CleanupFixture(
            () -> FunctionServer.start("io.imgstream.cleanup.CleanupPushFunction", null, PROPS), USER);

    /** What Pub/Sub pushes: the message (data base64) and the subscription's name. */
    private static String push(String messageJson) {
        String data = messageJson == null ? "" : ",\"data\":\""
                + Base64.getEncoder().encodeToString(messageJson.getBytes(StandardCharsets.UTF_8)) + "\"";
        return "{\"message\":{\"attributes\":{}" + data + ",\"messageId\":\"" + UUID.randomUUID()
                + "\",\"publishTime\":\"2026-12-07T10:00:00Z\"},\"subscription\":\"projects/test/subscriptions/imgstream-cleanup\"}";
    }

    private HttpResponse<String> post(FunctionServer to, String body) {
        return to.send(HttpRequest.newBuilder(to.uri("/")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void aPushRunsTheNamedTaskAndIsAcknowledged() {
        HttpResponse<String> r = post(fixture.server(), push("{\"tasks\":[\"stale_pending_uploads\"]}"));
        assertEquals(204, r.statusCode(), r::body);
        assertFalse(fixture.objectExists());
        assertEquals(0, fixture.pendingRows());
    }

    @Test
    void aPushWithoutDataRunsEveryTask() {
        assertEquals(204, post(fixture.server(), push(null)).statusCode());
        assertFalse(fixture.objectExists());
        assertEquals(0, fixture.pendingRows());
    }

    @Test
    void aPushedDryRunChangesNothing() {
        assertEquals(204, post(fixture.server(), push("{\"dryRun\":true}")).statusCode());
        assertTrue(fixture.objectExists());
        assertEquals(1, fixture.pendingRows());
    }

    /** A message that cannot be parsed would fail the same way on every delivery: acknowledged, nothing runs. */
    @Test
    void aMessageThatIsNoCleanupRequestIsAcknowledgedAndChangesNothing() {
        for (String message : new String[] {"this is not json", "{\"tasks\":[\"format_disk\"]}", "{\"dryRun\":\"yes\"}"}) {
            assertEquals(204, post(fixture.server(), push(message)).statusCode(), message);
            assertTrue(fixture.objectExists(), message + " started a cleanup run");
            assertEquals(1, fixture.pendingRows(), message);
        }
        assertEquals(204, post(fixture.server(), push(null).replace(",\"messageId\"", ",\"data\":\"%%%\",\"messageId\"")).statusCode(),
                "data that is not base64");
        assertTrue(fixture.objectExists());
    }

    /** Only the push identity may invoke cleanup; anything that is not a push request is a stray caller's mistake. */
    @Test
    void aRequestThatIsNoPushIsAProblemAndRunsNothing() {
        for (String body : new String[] {"garbage", "{}", "[]", "{\"subscription\":\"projects/test/subscriptions/x\"}",
                "{\"message\":\"x\"}", "{\"message\":{\"data\":\"e30=\"},\"message\":{}}"}) {
            HttpResponse<String> r = post(fixture.server(), body);
            assertEquals(400, r.statusCode(), body + ": " + r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), body);
            assertTrue(r.body().contains("\"code\":\"bad_request\""), r.body());
            assertTrue(fixture.objectExists(), body + " started a cleanup run");
            assertEquals(1, fixture.pendingRows());
        }
        HttpResponse<String> get = fixture.server().send(HttpRequest.newBuilder(fixture.server().uri("/")).GET());
        assertEquals(405, get.statusCode(), get.body());
        assertEquals("POST", get.headers().firstValue("Allow").orElse(""));
        assertTrue(get.body().contains("\"code\":\"method_not_allowed\""), get.body());
        assertTrue(fixture.objectExists());
    }

    @Test
    void aFailureOfTheJobIsAnErrorSoPubSubDeliversItAgain() {
        try (FunctionServer broken = FunctionServer.start("io.imgstream.cleanup.CleanupPushFunction", null,
                Map.of("imgstream.database.url", "jdbc:postgresql://127.0.0.1:9/none?connectTimeout=1"))) {
            HttpResponse<String> r = post(broken, push("{}"));
            assertTrue(r.statusCode() >= 500, () -> "status " + r.statusCode());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertTrue(fixture.objectExists());
        assertEquals(1, fixture.pendingRows());
    }
}
