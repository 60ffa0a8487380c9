package io.imgstream.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeadOperationsTest {

    private static final String DOCUMENT = """
            openapi: 3.0.1
            paths:
              /images/{id}/content:
                get:
                  summary: An image's bytes
                  operationId: getImageContent
                  parameters:
                  - name: id
                    in: path
                    required: true
                    schema:
                      type: string
                  responses:
                    "200":
                      description: The bytes
                      headers:
                        ETag:
                          schema:
                            type: string
                      content:
                        image/*:
                          schema:
                            type: string
                            format: binary
                    "404":
                      description: No such image
                      content:
                        application/problem+json:
                          schema:
                            $ref: "#/components/schemas/Problem"
                  security:
                  - bearer: []
                delete:
                  operationId: deleteImage
                  responses:
                    "204":
                      description: Gone
              /images:
                get:
                  operationId: listImages
                  responses:
                    "200":
                      description: A page
            """;

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    @Test
    void copiesEveryGetIntoAHeadWithTheSameStatusesHeadersParametersAndSecurityButNoBody(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("api.yml"), DOCUMENT);

        assertEquals(2, new HeadOperations(yaml).addTo(file));

        JsonNode item = yaml.readTree(file.toFile()).at("/paths/~1images~1{id}~1content");
        List<String> methods = new ArrayList<>();
        item.fieldNames().forEachRemaining(methods::add);
        assertEquals(List.of("get", "head", "delete"), methods);
        JsonNode get = item.get("get");
        JsonNode head = item.get("head");
        assertEquals("headImageContent", head.get("operationId").asText());
        assertEquals(get.get("parameters"), head.get("parameters"));
        assertEquals(get.get("security"), head.get("security"));
        assertEquals(get.at("/responses/200/headers"), head.at("/responses/200/headers"));
        List<String> statuses = new ArrayList<>();
        head.get("responses").fieldNames().forEachRemaining(statuses::add);
        assertEquals(List.of("200", "404"), statuses);
        head.get("responses").forEach(r -> assertFalse(r.has("content"), r.toString()));
        assertTrue(get.at("/responses/404").has("content"), "the GET keeps its bodies");
        assertEquals("headListImages", yaml.readTree(file.toFile()).at("/paths/~1images/head/operationId").asText());
    }

    @Test
    void leavesADocumentThatHasItsHeadsAsItIs(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("api.yml"), DOCUMENT);
        new HeadOperations(yaml).addTo(file);
        String once = Files.readString(file);

        assertEquals(0, new HeadOperations(yaml).addTo(file));
        assertEquals(once, Files.readString(file));
    }

    @Test
    void refusesAHeadIdThatAnotherOperationHas(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("api.yml"), DOCUMENT.replace("operationId: deleteImage",
                "operationId: headImageContent"));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new HeadOperations(yaml).addTo(file));

        assertTrue(e.getMessage().contains("headImageContent"), e.getMessage());
        assertEquals(DOCUMENT.replace("operationId: deleteImage", "operationId: headImageContent"), Files.readString(file));
    }

    @Test
    void namesTheHeadAfterTheGet() {
        assertEquals("headImageContent", HeadOperations.headId("getImageContent"));
        assertEquals("headListImages", HeadOperations.headId("listImages"));
        assertEquals("headGetaway", HeadOperations.headId("getaway"));
    }
}
