package io.imgstream.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.imgstream.json.StrictJson;
import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class CloudLoggingLayoutTest {

    private static JsonNode layout(String message, Object... arguments) throws Exception {
        LoggerContext context = new LoggerContext();
        LoggingEvent event = new LoggingEvent("test", context.getLogger("io.imgstream.test"), Level.INFO, message, null,
                arguments);
        event.setMDCPropertyMap(java.util.Map.of("trace", "abc123"));
        String line = new CloudLoggingLayout("proj").doLayout(event);
        assertEquals('\n', line.charAt(line.length() - 1), "one entry per line");
        return StrictJson.read(line.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writesAJsonPayloadArgumentAsAFieldCloudLoggingCanFilterOn() throws Exception {
        JsonNode entry = layout("cleanup summary {}",
                new JsonPayload("cleanup", "{\"ran\":true,\"counts\":{\"orphan_objects\":3}}"));
        assertEquals("INFO", entry.get("severity").getStringValue());
        assertEquals("projects/proj/traces/abc123", entry.get("logging.googleapis.com/trace").getStringValue());
        assertEquals("cleanup summary {\"ran\":true,\"counts\":{\"orphan_objects\":3}}", entry.get("message").getStringValue());
        assertEquals(3, entry.get("cleanup").get("counts").get("orphan_objects").getIntValue());
    }

    @Test
    void otherArgumentsStayInTheMessageOnly() throws Exception {
        JsonNode entry = layout("user {} said \"{}\"", "alice", "hi\nthere");
        assertEquals("user alice said \"hi\nthere\"", entry.get("message").getStringValue());
        assertNull(entry.get("cleanup"));
        assertNull(layout("no payload {}", new JsonPayload("bad", "not an object")).get("bad"),
                "only an object is spliced into the entry");
    }
}
