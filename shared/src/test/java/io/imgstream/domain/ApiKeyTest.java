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
