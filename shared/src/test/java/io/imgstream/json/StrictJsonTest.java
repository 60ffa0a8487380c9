package io.imgstream.json;

import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StrictJsonTest {

    static JsonNode read(String json) throws IOException {
        return StrictJson.read(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsOneValueAsATree() throws IOException {
        JsonNode tree = read(" {\"files\":[{\"filename\":\"a.png\",\"sha256\":null}],\"n\":1.5} \n");
        assertEquals("a.png", tree.get("files").get(0).get("filename").getStringValue());
        assertTrue(tree.get("files").get(0).get("sha256").isNull());
        assertEquals(1.5, tree.get("n").getDoubleValue());
        assertTrue(read("[]").isArray());
    }

    @Test
    void refusesWhatTwoReadersCouldReadTwoWays() {
        StrictJson.Malformed twice = assertThrows(StrictJson.Malformed.class,
                () -> read("{\"files\":[{\"filename\":\"a.png\",\"filename\":\"b.png\"}]}"));
        assertEquals("A key appears twice in one object ('filename').", twice.getMessage());
        assertEquals("The body holds more than one JSON value.",
                assertThrows(StrictJson.Malformed.class, () -> read("{\"a\":1} {\"a\":2}")).getMessage());
        assertEquals("The body is not valid JSON.",
                assertThrows(StrictJson.Malformed.class, () -> read("{\"a\":1} x")).getMessage());
        assertEquals("The body holds no JSON value.", assertThrows(StrictJson.Malformed.class, () -> read("  ")).getMessage());
        assertEquals("The body is not valid JSON.", assertThrows(StrictJson.Malformed.class, () -> read("{\"a\":")).getMessage());
    }

    /** A client that sends Latin-1 (charset=iso-8859-1) learns why its JSON is refused. */
    @Test
    void namesTextThatIsNotUtf8() {
        byte[] latin1 = "{\"filenames\":[\"caf\u00e9.png\"]}".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("The body is not UTF-8 text; JSON is read as UTF-8 (RFC 8259).",
                assertThrows(StrictJson.Malformed.class, () -> StrictJson.read(latin1)).getMessage());
    }
}
