package io.imgstream.cleanup;

import io.imgstream.support.FunctionServer;
import io.imgstream.dev.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CleanupPushTest {

    private static final String USER = "00000000-0000-0000-0000-0000000000c2";
    private static final Map<String, String> PROPS = Map.of("imgstream.cleanup.grace-period", "0s");

    private FunctionServer server;
    private String objectName;

    @BeforeAll
    void start() {
        server = FunctionServer.start("io.imgstream.cleanup.CleanupPushFunction", null, PROPS);
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    /** A crash-shaped fixture: an upload that wrote its object and never committed its row. */
    @BeforeEach
    void stalePendingUpload() throws Exception {
        TestDatabase.truncateAll();
        TestDatabase.execute("insert into users (id, name) values ('" + USER + "', 'cleanup')");
        objectName = "users/" + USER + "/images/" + UUID.randomUUID() + "/v1";
        Path file = server.storageDirectory().resolve(objectName);
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[]{1, 2, 3});
        TestDatabase.execute("insert into pending_uploads (object_name, user_id, image_id, created_at) values ('"
                + objectName + "', '" + USER + "', gen_random_uuid(), now() - interval '2 hours')");
    }

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

    private boolean objectExists() {
        return Files.exists(server.storageDirectory().resolve(objectName));
    }

    private long pendingRows() {
        return TestDatabase.count("select count(*) from pending_uploads");
    }

    @Test
    void aPushRunsTheNamedTaskAndIsAcknowledged() {
        HttpResponse<String> r = post(server, push("{\"tasks\":[\"stale_pending_uploads\"]}"));
        assertEquals(204, r.statusCode(), r::body);
        assertFalse(objectExists());
        assertEquals(0, pendingRows());
    }

    @Test
    void aPushWithoutDataRunsEveryTask() {
        assertEquals(204, post(server, push(null)).statusCode());
        assertFalse(objectExists());
        assertEquals(0, pendingRows());
    }

    @Test
    void aPushedDryRunChangesNothing() {
        assertEquals(204, post(server, push("{\"dryRun\":true}")).statusCode());
        assertTrue(objectExists());
        assertEquals(1, pendingRows());
    }

    /** A message that cannot be parsed would fail the same way on every delivery: acknowledged, nothing runs. */
    @Test
    void aMessageThatIsNoCleanupRequestIsAcknowledgedAndChangesNothing() {
        for (String message : new String[] {"this is not json", "{\"tasks\":[\"format_disk\"]}", "{\"dryRun\":\"yes\"}"}) {
            assertEquals(204, post(server, push(message)).statusCode(), message);
            assertTrue(objectExists(), message + " started a cleanup run");
            assertEquals(1, pendingRows(), message);
        }
        assertEquals(204, post(server, push(null).replace(",\"messageId\"", ",\"data\":\"%%%\",\"messageId\"")).statusCode(),
                "data that is not base64");
        assertTrue(objectExists());
    }

    /** Only the push identity may invoke cleanup; anything that is not a push request is a stray caller's mistake. */
    @Test
    void aRequestThatIsNoPushIsAProblemAndRunsNothing() {
        for (String body : new String[] {"garbage", "{}", "[]", "{\"subscription\":\"projects/test/subscriptions/x\"}",
                "{\"message\":\"x\"}", "{\"message\":{\"data\":\"e30=\"},\"message\":{}}"}) {
            HttpResponse<String> r = post(server, body);
            assertEquals(400, r.statusCode(), body + ": " + r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), body);
            assertTrue(r.body().contains("\"code\":\"bad_request\""), r.body());
            assertTrue(objectExists(), body + " started a cleanup run");
            assertEquals(1, pendingRows());
        }
        HttpResponse<String> get = server.send(HttpRequest.newBuilder(server.uri("/")).GET());
        assertEquals(405, get.statusCode(), get.body());
        assertEquals("POST", get.headers().firstValue("Allow").orElse(""));
        assertTrue(get.body().contains("\"code\":\"method_not_allowed\""), get.body());
        assertTrue(objectExists());
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
        assertTrue(objectExists());
        assertEquals(1, pendingRows());
    }
}
