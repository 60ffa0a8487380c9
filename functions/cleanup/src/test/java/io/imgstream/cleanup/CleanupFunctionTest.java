package io.imgstream.cleanup;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.imgstream.support.FunctionServer;
import io.imgstream.dev.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cleanup function as Eventarc drives it: Pub/Sub messagePublished CloudEvents, both HTTP modes. */
class CleanupFunctionTest {

    private static final String USER = "00000000-0000-0000-0000-0000000000c1";
    private static final String TYPE = "google.cloud.pubsub.topic.v1.messagePublished";
    private static final String SOURCE = "//pubsub.googleapis.com/projects/test/topics/imgstream-cleanup";
    private static final Map<String, String> PROPS = Map.of("imgstream.cleanup.grace-period", "0s");

    @RegisterExtension
    static final CleanupFixture fixture = new CleanupFixture(
            () -> FunctionServer.start("io.imgstream.cleanup.CleanupFunction", "cloudevent", PROPS), USER);

    private static String envelope(String messageJson) {
        String data = messageJson == null ? "" : Base64.getEncoder().encodeToString(messageJson.getBytes(StandardCharsets.UTF_8));
        return "{\"message\":{\"data\":\"" + data + "\",\"messageId\":\"" + UUID.randomUUID()
                + "\",\"publishTime\":\"2026-11-24T10:00:00Z\"},\"subscription\":\"projects/test/subscriptions/cleanup\"}";
    }

    private HttpResponse<String> postStructured(String messageJson) {
        String event = "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"" + SOURCE
                + "\",\"type\":\"" + TYPE + "\",\"datacontenttype\":\"application/json\",\"data\":" + envelope(messageJson) + "}";
        return fixture.server().send(HttpRequest.newBuilder(fixture.server().uri("/"))
                .header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofString(event)));
    }

    private HttpResponse<String> postBinary(String messageJson) {
        return fixture.server().send(HttpRequest.newBuilder(fixture.server().uri("/"))
                .header("Content-Type", "application/json")
                .header("ce-specversion", "1.0").header("ce-id", UUID.randomUUID().toString())
                .header("ce-type", TYPE).header("ce-source", SOURCE)
                .POST(HttpRequest.BodyPublishers.ofString(envelope(messageJson))));
    }

    @Test
    void structuredModeRunsTheNamedTask() {
        HttpResponse<String> r = postStructured("{\"tasks\":[\"stale_pending_uploads\"]}");
        assertEquals(200, r.statusCode(), r::body);
        assertFalse(fixture.objectExists());
        assertEquals(0, fixture.pendingRows());
    }

    @Test
    void binaryModeWithoutDataRunsEveryTask() {
        HttpResponse<String> r = postBinary(null);
        assertEquals(200, r.statusCode(), r::body);
        assertFalse(fixture.objectExists());
        assertEquals(0, fixture.pendingRows());
    }

    @Test
    void aDryRunChangesNothing() {
        assertEquals(200, postBinary("{\"dryRun\":true}").statusCode());
        assertTrue(fixture.objectExists());
        assertEquals(1, fixture.pendingRows());
    }

    @Test
    void aMessageThatIsNotJsonIsAcknowledgedAndChangesNothing() {
        assertEquals(200, postStructured("this is not json").statusCode());
        assertTrue(fixture.objectExists());
        assertEquals(1, fixture.pendingRows());
    }

    @Test
    void anEventThatIsNoPubSubEnvelopeIsAcknowledgedAndRunsNothing() {
        for (String body : new String[] {"garbage", "{}", "{\"subscription\":\"projects/test/subscriptions/cleanup\"}"}) {
            HttpResponse<String> r = fixture.server().send(HttpRequest.newBuilder(fixture.server().uri("/"))
                    .header("Content-Type", "application/json")
                    .header("ce-specversion", "1.0").header("ce-id", UUID.randomUUID().toString())
                    .header("ce-type", TYPE).header("ce-source", SOURCE)
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
            assertEquals(200, r.statusCode(), body + ": " + r.body());
            assertTrue(fixture.objectExists(), body + " started a cleanup run");
            assertEquals(1, fixture.pendingRows());
        }
    }

    @Test
    void anUnknownTaskIsAcknowledgedAndChangesNothing() {
        assertEquals(200, postBinary("{\"tasks\":[\"format_disk\"]}").statusCode());
        assertEquals(200, postBinary("{\"maxItems\":0}").statusCode());
        assertTrue(fixture.objectExists());
        assertEquals(1, fixture.pendingRows());
    }

    /** Every member's default is the destructive choice, so a message meant as a dry run must never run for real. */
    @Test
    void aMemberOfTheWrongNameOrTypeIsAcknowledgedAndChangesNothing() {
        for (String message : new String[] {"{\"dryRun\":\"yes\"}", "{\"dryRun\":\"true\"}", "{\"dryRun\":1}",
                "{\"dryrun\":true}", "{\"dry_run\":true}", "{\"tasks\":\"stale_pending_uploads\"}",
                "{\"tasks\":[1]}", "{\"tasks\":[null]}", "{\"maxItems\":1.5}", "{\"maxItems\":\"10\"}",
                "{\"maxItems\":99999999999}", "[]", "\"dryRun\"", "true",
                // what one reader takes for a dry run another may not: a key given twice, a second value
                "{\"dryRun\":true,\"dryRun\":false}", "{\"dryRun\":true} {\"dryRun\":false}"}) {
            assertEquals(200, postBinary(message).statusCode(), message);
            assertTrue(fixture.objectExists(), message + " started a cleanup run");
            assertEquals(1, fixture.pendingRows(), message);
        }
    }

    @Test
    void nullMembersTakeTheirDefaults() {
        assertEquals(200, postBinary("{\"tasks\":[\"stale_pending_uploads\"],\"dryRun\":null,\"maxItems\":null}")
                .statusCode());
        assertFalse(fixture.objectExists());
        assertEquals(0, fixture.pendingRows());
    }

    @Test
    void aRedeliveredMessageIsHarmless() {
        String message = "{\"tasks\":[\"stale_pending_uploads\"]}";
        assertEquals(200, postStructured(message).statusCode());
        assertEquals(200, postStructured(message).statusCode());
        assertFalse(fixture.objectExists());
        assertEquals(0, fixture.pendingRows());
    }

    @Test
    void acceptsAnEventBuiltWithTheCloudEventsSdk() throws Exception {
        CloudEvent event = CloudEventBuilder.v1().withId("sdk-1").withSource(URI.create(SOURCE)).withType(TYPE)
                .withDataContentType("application/json")
                .withData(envelope("{\"tasks\":[\"stale_pending_uploads\"]}").getBytes(StandardCharsets.UTF_8)).build();
        PROPS.forEach(System::setProperty);
        System.setProperty("imgstream.database.url", TestDatabase.jdbcUrl());
        System.setProperty("imgstream.storage.local-dir", fixture.server().storageDirectory().toString());
        try {
            new CleanupFunction().accept(event);
        } finally {
            PROPS.keySet().forEach(System::clearProperty);
            System.clearProperty("imgstream.database.url");
            System.clearProperty("imgstream.storage.local-dir");
        }
        assertFalse(fixture.objectExists());
        assertEquals(0, fixture.pendingRows());
    }

    @Test
    void aFailureOfTheJobIsAnErrorSoPubSubRetries() throws Exception {
        try (FunctionServer broken = FunctionServer.start("io.imgstream.cleanup.CleanupFunction", "cloudevent",
                Map.of("imgstream.database.url", "jdbc:postgresql://127.0.0.1:9/none?connectTimeout=1"))) {
            String event = "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"" + SOURCE + "\",\"type\":\"" + TYPE
                    + "\",\"datacontenttype\":\"application/json\",\"data\":" + envelope("{}") + "}";
            HttpResponse<String> r = broken.send(HttpRequest.newBuilder(broken.uri("/"))
                    .header("Content-Type", "application/cloudevents+json").POST(HttpRequest.BodyPublishers.ofString(event)));
            assertTrue(r.statusCode() >= 500, () -> "status " + r.statusCode());
        }
        assertTrue(fixture.objectExists());
    }
}
