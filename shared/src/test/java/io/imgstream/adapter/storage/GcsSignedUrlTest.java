package io.imgstream.adapter.storage;

import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.storage.StorageOptions;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * V4 signed read URLs, signed offline with service-account credentials built from a locally generated RSA
 * key (on Cloud Run the same call signs through IAM signBlob as the function's service account).
 */
class GcsSignedUrlTest {

    @Test
    void signsAShortLivedV4UrlWithTypeAndDispositionPinned() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair key = generator.generateKeyPair();
        ServiceAccountCredentials credentials = ServiceAccountCredentials.newBuilder()
                .setClientEmail("imgstream-fetch@test-project.iam.gserviceaccount.com")
                .setPrivateKey(key.getPrivate()).setPrivateKeyId("local-test-key").setProjectId("test-project").build();
        GcsObjectStorage storage = new GcsObjectStorage(StorageOptions.newBuilder().setProjectId("test-project")
                .setCredentials(credentials).build().getService(), "images-bucket");

        String disposition = "inline; filename=\"a b.png\"; filename*=UTF-8''a%20b.png";
        URI url = storage.signedReadUrl("users/u/images/i/v1-0011223344556677", Duration.ofMinutes(5), "image/png",
                disposition).orElseThrow();

        assertEquals("https", url.getScheme());
        assertEquals("storage.googleapis.com", url.getHost());
        assertEquals("/images-bucket/users/u/images/i/v1-0011223344556677", url.getPath());
        Map<String, String> query = new HashMap<>();
        for (String pair : url.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        assertEquals("GOOG4-RSA-SHA256", query.get("X-Goog-Algorithm"));
        assertEquals("300", query.get("X-Goog-Expires"), "valid for five minutes");
        assertTrue(query.get("X-Goog-Credential").startsWith("imgstream-fetch@test-project.iam.gserviceaccount.com/"));
        assertEquals("image/png", query.get("response-content-type"));
        assertEquals(disposition, query.get("response-content-disposition"));
        assertTrue(query.get("X-Goog-Signature").matches("[0-9a-f]{512}"), "an RSA-2048 signature in hex");
    }

    @Test
    void withoutSigningCredentialsThereIsNoUrlAndFetchServesTheBytes() {
        GcsObjectStorage storage = new GcsObjectStorage(com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper
                .getOptions().getService(), "images-bucket");
        assertTrue(storage.signedReadUrl("x", Duration.ofMinutes(5), "image/png", "inline").isEmpty());
    }
}
