package io.imgstream.domain;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeyTest {

    @Test
    void generatedKeysHaveThePrefixAndParseBack() {
        ApiKey key = ApiKey.generate();
        assertTrue(key.reveal().startsWith("isk_"));
        assertEquals(ApiKey.LENGTH, key.reveal().length());
        ApiKey parsed = ApiKey.parseOrNull(key.reveal());
        assertNotNull(parsed);
        assertTrue(ApiKey.hashesMatch(key.hash(), parsed.hash()));
    }

    @Test
    void keysIssuedEarlierStillParseAndHashAsBefore() {
        // issued by an earlier release (checksum digits from BigInteger arithmetic); its SHA-256 is what is stored
        String issued = "isk_un3Ark5yBQhCRXEbsIIO4GuUTWslHQnDpKWGGn3zAMO39aKZA";
        ApiKey key = ApiKey.parseOrNull(issued);
        assertNotNull(key);
        assertEquals(java.util.HexFormat.of().formatHex(sha256(issued)), java.util.HexFormat.of().formatHex(key.hash()));
        assertEquals(java.util.HexFormat.of().formatHex(key.hash()), java.util.HexFormat.of().formatHex(key.hash()),
                "hashing twice on one thread gives the same digest");
        assertNull(ApiKey.parseOrNull(issued.substring(0, issued.length() - 1) + "B"));
    }

    private static byte[] sha256(String s) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aChangedCharacterFailsTheChecksum() {
        String key = ApiKey.generate().reveal();
        char c = key.charAt(10);
        String tampered = key.substring(0, 10) + (c == 'a' ? 'b' : 'a') + key.substring(11);
        assertNull(ApiKey.parseOrNull(tampered));
    }

    @Test
    void wrongShapesAreRefusedWithoutLookup() {
        String key = ApiKey.generate().reveal();
        assertNull(ApiKey.parseOrNull(null));
        assertNull(ApiKey.parseOrNull(""));
        assertNull(ApiKey.parseOrNull(key.substring(1)));
        assertNull(ApiKey.parseOrNull("xsk_" + key.substring(4)));
        assertNull(ApiKey.parseOrNull(key + "a"));
        assertNull(ApiKey.parseOrNull(key.substring(0, 20) + "-" + key.substring(21)));
    }

    @Test
    void keysCarryAtLeast256RandomBits() {
        // 43 base62 characters hold log2(62^43) ≈ 256.03 bits; and no two keys repeat.
        assertTrue(43 * Math.log(62) / Math.log(2) >= 256);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertTrue(seen.add(ApiKey.generate().reveal()));
        }
    }

    @Test
    void theHintRevealsNoMoreThanFourSecretCharacters() {
        ApiKey key = ApiKey.generate();
        assertEquals(key.reveal().substring(0, 8) + "…", key.hint());
    }
}
