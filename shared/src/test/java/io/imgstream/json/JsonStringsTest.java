package io.imgstream.json;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonStringsTest {

    @Test
    void quotesAndEscapesWhatJsonRequires() {
        assertEquals("\"a \\\"b\\\" c\\\\d\\n\\r\\t\\u0001é😀\"", JsonStrings.quote("a \"b\" c\\d\n\r\t\u0001é😀"));
        assertEquals("\"\"", JsonStrings.quote(null));
    }

    @Test
    void whatItWritesReadsBackAsTheSameString() throws Exception {
        String tricky = "x\"\\/\b\f\n\r\t\u0000\u001f\u2028 ok";
        String json = "{\"s\":" + JsonStrings.quote(tricky) + "}";
        assertEquals(tricky, StrictJson.read(json.getBytes(StandardCharsets.UTF_8)).get("s").getStringValue());
    }
}
