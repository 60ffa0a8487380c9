package io.imgstream.application.cleanup;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CleanupMessageTest {

    private static JsonNode object(Object... keysAndValues) {
        Map<String, JsonNode> members = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            members.put((String) keysAndValues[i], (JsonNode) keysAndValues[i + 1]);
        }
        return JsonNode.createObjectNode(members);
    }

    private static String refusal(JsonNode message) {
        return assertThrows(IllegalArgumentException.class, () -> CleanupMessage.parse(message)).getMessage();
    }

    @Test
    void anEmptyObjectIsEveryTaskForReal() {
        CleanupRequest request = CleanupMessage.parse(object());
        assertEquals(EnumSet.allOf(CleanupTask.class), request.tasks());
        assertEquals(false, request.dryRun());
        assertEquals(CleanupRequest.DEFAULT_MAX_ITEMS, request.maxItems());
    }

    @Test
    void everyMemberIsRead() {
        CleanupRequest request = CleanupMessage.parse(object(
                "tasks", JsonNode.createArrayNode(List.of(JsonNode.createStringNode("orphan_objects"))),
                "dryRun", JsonNode.createBooleanNode(true),
                "maxItems", JsonNode.createNumberNode(25)));
        assertEquals(EnumSet.of(CleanupTask.ORPHAN_OBJECTS), request.tasks());
        assertTrue(request.dryRun());
        assertEquals(25, request.maxItems());
    }

    @Test
    void nullIsTheDefault() {
        CleanupRequest request = CleanupMessage.parse(object("tasks", JsonNode.nullNode(), "dryRun", JsonNode.nullNode(),
                "maxItems", JsonNode.nullNode()));
        assertEquals(CleanupRequest.everything(), request);
    }

    @Test
    void eachWrongMemberIsNamed() {
        assertEquals("unknown member 'dryrun' (a message has tasks, dryRun and maxItems only)",
                refusal(object("dryrun", JsonNode.createBooleanNode(true))));
        assertEquals("dryRun must be true or false", refusal(object("dryRun", JsonNode.createStringNode("yes"))));
        assertEquals("dryRun must be true or false", refusal(object("dryRun", JsonNode.createNumberNode(1))));
        assertEquals("tasks must be an array of task names",
                refusal(object("tasks", JsonNode.createStringNode("orphan_objects"))));
        assertEquals("tasks[1] must be a task name (a string)", refusal(object("tasks", JsonNode.createArrayNode(
                List.of(JsonNode.createStringNode("orphan_objects"), JsonNode.createNumberNode(2))))));
        assertEquals("unknown task 'format_disk'", refusal(object("tasks",
                JsonNode.createArrayNode(List.of(JsonNode.createStringNode("format_disk"))))));
        String maxItems = "maxItems must be a whole number from 1 to 2147483647";
        assertEquals(maxItems, refusal(object("maxItems", JsonNode.createNumberNode(0))));
        assertEquals(maxItems, refusal(object("maxItems", JsonNode.createNumberNode(-3))));
        assertEquals(maxItems, refusal(object("maxItems", JsonNode.createNumberNode(1.5))));
        assertEquals(maxItems, refusal(object("maxItems", JsonNode.createNumberNode(1L << 40))));
        assertEquals(maxItems, refusal(object("maxItems", JsonNode.createStringNode("10"))));
        assertTrue(refusal(JsonNode.createArrayNode(List.of())).startsWith("message data must be a JSON object"));
        assertTrue(refusal(null).startsWith("message data must be a JSON object"));
    }

    private static String base64(String data) {
        return Base64.getEncoder().encodeToString(data.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void noDataOrBlankDataIsEveryTask() {
        assertEquals(CleanupRequest.everything(), CleanupMessage.decode(null));
        assertEquals(CleanupRequest.everything(), CleanupMessage.decode(" "));
        assertEquals(CleanupRequest.everything(), CleanupMessage.decode(base64(" \n")));
    }

    @Test
    void base64DataIsDecodedThenParsed() {
        CleanupRequest request = CleanupMessage.decode(base64("{\"tasks\":[\"orphan_objects\"],\"dryRun\":true}") + "\n");
        assertEquals(EnumSet.of(CleanupTask.ORPHAN_OBJECTS), request.tasks());
        assertTrue(request.dryRun());
    }

    @Test
    void dataThatIsNotBase64OrNotOneJsonValueIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CleanupMessage.decode("not base64!"));
        assertEquals("message data is not one unambiguous JSON value: The body is not valid JSON.", assertThrows(IllegalArgumentException.class,
                () -> CleanupMessage.decode(base64("this is not json"))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CleanupMessage.decode(
                base64("{\"dryRun\":true,\"dryRun\":false}"))).getMessage()
                .startsWith("message data is not one unambiguous JSON value: A key appears twice"));
        assertEquals("dryRun must be true or false", assertThrows(IllegalArgumentException.class,
                () -> CleanupMessage.decode(base64("{\"dryRun\":\"yes\"}"))).getMessage());
    }

    @Test
    void anUnreadableMessageIsEmptyAndLoggedWithItsEventId() {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(CleanupMessage.class);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        logger.addAppender(captured);
        try {
            assertTrue(CleanupMessage.read("event-7", base64("{\"dryrun\":true}")).isEmpty());
            assertTrue(CleanupMessage.unreadable("event-8", "the event carries no Pub/Sub message").isEmpty());
            assertEquals(Optional.of(CleanupRequest.everything()), CleanupMessage.read("event-9", null));
            List<String> lines = captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertEquals(List.of("Cleanup message event-7 acknowledged without running: unknown member 'dryrun'"
                            + " (a message has tasks, dryRun and maxItems only)",
                    "Cleanup message event-8 acknowledged without running: the event carries no Pub/Sub message"), lines);
        } finally {
            logger.detachAppender(captured);
        }
    }
}
