package io.imgstream.local;

import io.imgstream.client.ApiClient;
import io.imgstream.client.ApiException;
import io.imgstream.client.api.CollisionCheckApi;
import io.imgstream.client.api.ImagesApi;
import io.imgstream.client.model.CollisionCheckFile;
import io.imgstream.client.model.CollisionCheckRequest;
import io.imgstream.client.model.CollisionCheckResult;
import io.imgstream.client.model.ImagePage;
import io.imgstream.client.model.ImageView;
import io.imgstream.dev.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API document is usable: a Java client generated from it at build time (openapi-generator, native library;
 * functions/local/pom.xml) makes a full round trip — check, upload, list, metadata, content, check again — against
 * the real functions, each in its own invoker JVM under the local emulator. One ApiClient per function URL until the
 * local gateway serves them under one base URL, as the front door does.
 */
class GeneratedClientRoundTripTest {

    @TempDir
    Path home;

    @Test
    void uploadsListsFetchesAndChecksThroughTheGeneratedClient() throws Exception {
        int base = LocalEmulator.freeBasePort();
        Map<String, String> env = LocalEmulator.isolatedEnvironment(home, base, "dev");
        System.setProperty("imgstream.root", Path.of("../..").toAbsolutePath().normalize().toString());
        LocalEmulator emulator = new LocalEmulator(LocalSettings.fromEnvironment(env), env);
        try {
            emulator.start();
            String key = emulator.keys().get("dev");
            // openapi-generator's native library writes a binary (application/octet-stream) body through Jackson, i.e.
            // as the JSON of a File; the upload client's interceptor sends the file's bytes instead (the generated
            // request is otherwise used as it is: URL, query, headers, and the answer's parsing).
            Path[] sending = new Path[1];
            ApiClient uploadClient = client(base, key);
            uploadClient.setRequestInterceptor(request -> {
                request.header("Authorization", "Bearer " + key);
                try {
                    request.method("POST", java.net.http.HttpRequest.BodyPublishers.ofFile(sending[0]));
                } catch (java.io.FileNotFoundException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            ImagesApi upload = new ImagesApi(uploadClient);
            ApiClient fetchClient = client(base + 1, key);
            ImagesApi fetch = new ImagesApi(fetchClient);
            CollisionCheckApi check = new CollisionCheckApi(client(base + 2, key));

            byte[] png = TestImages.png(7);
            String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(png));
            CollisionCheckRequest batch = new CollisionCheckRequest()
                    .files(List.of(new CollisionCheckFile().filename("Round Trip.png").sha256(sha256)));
            assertEquals("available", check.checkCollisions(batch).getResults().get(0).getStatus().getValue());

            Path file = home.resolve("round-trip.png");
            Files.write(file, png);
            sending[0] = file;
            Object answer = upload.uploadImage(file.toFile(), "Round Trip.png", null, null, null).getActualInstance();
            ImageView stored = (ImageView) answer;
            assertEquals("Round Trip.png", stored.getFilename());
            assertEquals(sha256, stored.getSha256());
            assertEquals(1, stored.getVersion());

            ImagePage page = fetch.listImages("round", 10, null);
            assertEquals(List.of(stored.getId()), page.getItems().stream().map(ImageView::getId).toList());
            assertEquals(stored.getCreatedAt(), fetch.getImage(stored.getId(), null, null, null).getCreatedAt());
            assertEquals(stored.getId(), fetch.getImageByName("ROUND TRIP.PNG", null, null, null).getId());
            // the native library parses every answer as JSON, image/* included: the bytes are read with the client's
            // own HTTP client and interceptor (the generated getImageContent cannot return them)
            java.net.http.HttpRequest.Builder content = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    fetchClient.getBaseUri() + "/images/" + stored.getId() + "/content"));
            fetchClient.getRequestInterceptor().accept(content);
            var bytes = fetchClient.getHttpClient().send(content.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, bytes.statusCode());
            assertArrayEquals(png, bytes.body());

            // the fetch function's jar, as deployed, serves the document and the docs' bundled files without a key
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            for (String path : List.of("/openapi.yaml", "/docs", "/docs/swagger-ui-bundle.js")) {
                var served = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                        + (base + 1) + path)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals(200, served.statusCode(), path);
            }

            CollisionCheckResult again = check.checkCollisions(batch).getResults().get(0);
            assertEquals("identical", again.getStatus().getValue());
            assertEquals(stored.getId(), again.getExisting().getId());

            // a refusal arrives as the document says: its status and a problem+json body with its code
            Path other = home.resolve("other.png");
            Files.write(other, TestImages.png(8));
            sending[0] = other;
            ApiException conflict = assertThrows(ApiException.class,
                    () -> upload.uploadImage(other.toFile(), "round trip.PNG", "reject", null, null));
            assertEquals(409, conflict.getCode(), conflict::getResponseBody);
            assertTrue(conflict.getResponseBody().contains("\"code\":\"filename_conflict\""), conflict::getResponseBody);
        } catch (ApiException e) {
            throw new AssertionError(e.getCode() + " " + e.getResponseBody(), e);
        } finally {
            emulator.stop();
        }
    }

    private static ApiClient client(int port, String key) {
        // strict: a field the document does not name fails here too, and the upload answer's oneOf (an image, or a
        // multipart's results) resolves to exactly one schema
        com.fasterxml.jackson.databind.ObjectMapper strict = ApiClient.createDefaultObjectMapper()
                .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        ApiClient client = new ApiClient(java.net.http.HttpClient.newBuilder(), strict, "http://127.0.0.1:" + port);
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + key));
        return client;
    }
}
