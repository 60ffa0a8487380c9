package io.imgstream.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.micronaut.jackson.core.tree.JsonNodeTreeCodec;
import io.micronaut.json.tree.JsonNode;

import java.io.IOException;

/**
 * Reads a JSON body that means one thing only. Micronaut's mapper reads {@code {"a":1} trailing} as {@code {"a":1}}
 * and {@code {"a":1,"a":2}} as {@code {"a":2}}: a client (or a proxy, or another parser in the path) that reads such a
 * body differently would act on a request we did not answer. Both are refused as malformed instead.
 */
public final class StrictJson {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private StrictJson() {
    }

    /** Malformed, ambiguous JSON; the message says why in words a client can act on. */
    public static final class Malformed extends IOException {
        Malformed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** One JSON value as a tree, read in one pass that refuses a repeated key and anything after the value. */
    public static JsonNode read(byte[] body) throws IOException {
        try (JsonParser parser = FACTORY.createParser(body)) {
            if (parser.nextToken() == null) {
                throw new Malformed("The body holds no JSON value.", null);
            }
            JsonNode tree = JsonNodeTreeCodec.getInstance().readTree(parser);
            if (parser.nextToken() != null) {
                throw new Malformed("The body holds more than one JSON value.", null);
            }
            return tree;
        } catch (JsonParseException e) {
            String message = e.getOriginalMessage();
            throw new Malformed(message != null && message.startsWith("Duplicate field")
                    ? "A key appears twice in one object (" + message.substring(message.indexOf('\'')) + ")."
                    // Latin-1 text: JSON between systems is UTF-8 (RFC 8259 §8.1), whatever charset is declared.
                    : message != null && message.startsWith("Invalid UTF-8")
                    ? "The body is not UTF-8 text; JSON is read as UTF-8 (RFC 8259)."
                    : "The body is not valid JSON.", e);
        }
    }
}
