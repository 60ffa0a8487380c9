package io.imgstream.dev.gateway;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RoutingTableTest {

    private final RoutingTable table = RoutingTable.load();

    @Test
    void theShippedTableIsTerraformsFileByteForByte() throws Exception {
        byte[] file = Files.readAllBytes(Path.of("../terraform/routes.json"));
        try (InputStream shipped = getClass().getClassLoader().getResourceAsStream(RoutingTable.RESOURCE)) {
            assertArrayEquals(file, shipped.readAllBytes(), "the jar's routes.json is terraform/routes.json");
        }
    }

    @Test
    void routesWritesToUploadReadsToFetchAndChecksToCollisionCheck() {
        assertEquals(Optional.of("upload"), table.route("POST", "/images", null));
        assertEquals(Optional.of("upload"), table.route("DELETE", "/images/7a0f", null));
        assertEquals(Optional.of("upload"), table.route("POST", "/uploads", null));
        assertEquals(Optional.of("upload"), table.route("PATCH", "/uploads/abc", null));
        assertEquals(Optional.of("upload"), table.route("HEAD", "/uploads/abc", null));
        assertEquals(Optional.of("upload"), table.route("OPTIONS", "/uploads", null));
        assertEquals(Optional.of("fetch"), table.route("GET", "/images", null));
        assertEquals(Optional.of("fetch"), table.route("HEAD", "/images/7a0f/content", null));
        assertEquals(Optional.of("fetch"), table.route("get", "/images/7a0f/thumbnail", null));
        assertEquals(Optional.of("fetch"), table.route("GET", "/openapi.yaml", null));
        assertEquals(Optional.of("fetch"), table.route("GET", "/docs", null));
        assertEquals(Optional.of("fetch"), table.route("GET", "/docs/swagger-ui.css", null));
        assertEquals(Optional.of("collision-check"), table.route("POST", "/collision-check", null));
        assertEquals(Optional.of("collision-check"), table.route("GET", "/collision-check/stats", null));
    }

    @Test
    void sendsAPreflightToTheFunctionServingTheRequestedMethod() {
        assertEquals(Optional.of("upload"), table.route("OPTIONS", "/images", "POST"));
        assertEquals(Optional.of("upload"), table.route("OPTIONS", "/images/7a0f", "delete"));
        assertEquals(Optional.of("fetch"), table.route("OPTIONS", "/images", "GET"));
        assertEquals(Optional.of("fetch"), table.route("OPTIONS", "/images/7a0f", null));
        assertEquals(Optional.of("upload"), table.route("OPTIONS", "/uploads/x", "PATCH"));
    }

    @Test
    void routesNothingElse() {
        for (String[] r : List.of(new String[] {"GET", "/health"}, new String[] {"GET", "/"}, new String[] {"POST", "/"},
                new String[] {"PUT", "/images"}, new String[] {"PATCH", "/images/x"}, new String[] {"POST", "/openapi.yaml"},
                new String[] {"GET", "/imagesx"}, new String[] {"GET", "/docsx"}, new String[] {"GET", "/uploadsx"},
                new String[] {"GET", "/collision-checks"})) {
            assertEquals(Optional.empty(), table.route(r[0], r[1], null), r[0] + " " + r[1]);
        }
        assertEquals(List.of("upload", "fetch", "collision-check"), List.copyOf(table.functions()));
    }

    @Test
    void refusesARowWithoutAPathOrWithBoth() {
        assertThrows(IllegalArgumentException.class, () -> RoutingTable.parse(
                "{\"routes\":[{\"function\":\"fetch\",\"methods\":[\"GET\"]}]}"));
        assertThrows(IllegalArgumentException.class, () -> RoutingTable.parse(
                "{\"routes\":[{\"function\":\"fetch\",\"methods\":[\"GET\"],\"path\":\"/a\",\"pathPrefix\":\"/b\"}]}"));
        assertThrows(IllegalArgumentException.class, () -> RoutingTable.parse("{\"routes\": [ }"));
    }
}
