package io.imgstream.dev.gateway;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest {

    private final AtomicLong now = new AtomicLong(TimeUnit.HOURS.toNanos(5));

    @Test
    void holdsBothLimitsForAKeyedRequest() {
        RateLimiter limiter = new RateLimiter(5, 2, now::get);
        assertNull(limiter.admit("10.0.0.1", "isk_a"));
        assertNull(limiter.admit("10.0.0.1", "isk_a"));
        RateLimiter.Refusal byKey = limiter.admit("10.0.0.1", "isk_a");
        assertEquals("per API key", byKey.limit());
        assertEquals(60, byKey.retryAfterSeconds());
        // the same key from another address is still over its limit: the key's limit is the key's, wherever it comes from
        assertEquals("per API key", limiter.admit("10.0.0.2", "isk_a").limit());
        // the refused requests did not count against the address: three more fit under 5
        assertNull(limiter.admit("10.0.0.1", "isk_b"));
        assertNull(limiter.admit("10.0.0.1", null));
        assertNull(limiter.admit("10.0.0.1", null));
        RateLimiter.Refusal byIp = limiter.admit("10.0.0.1", "isk_c");
        assertEquals("per client IP", byIp.limit());
        assertNull(limiter.admit("10.0.0.3", null), "another address has its own window");
    }

    @Test
    void aWindowEndsAMinuteAfterItsFirstRequestAndRetryAfterSaysWhen() {
        RateLimiter limiter = new RateLimiter(1, 1, now::get);
        assertNull(limiter.admit("10.0.0.1", null));
        now.addAndGet(TimeUnit.SECONDS.toNanos(45) + 1);
        assertEquals(15, limiter.admit("10.0.0.1", null).retryAfterSeconds());
        now.addAndGet(TimeUnit.SECONDS.toNanos(15));
        assertNull(limiter.admit("10.0.0.1", null));
    }

    @Test
    void isOffUnlessAskedAndTakesTerraformsDefaults() {
        assertNull(RateLimiter.fromEnvironment(Map.of()));
        assertNull(RateLimiter.fromEnvironment(Map.of(RateLimiter.ENABLED, "off")));
        RateLimiter on = RateLimiter.fromEnvironment(Map.of(RateLimiter.ENABLED, "on"));
        assertEquals(1000, on.perIp());
        assertEquals(100, on.perKey());
        RateLimiter tuned = RateLimiter.fromEnvironment(Map.of(RateLimiter.ENABLED, "true", RateLimiter.PER_IP, "7",
                RateLimiter.PER_KEY, " 3 "));
        assertEquals(7, tuned.perIp());
        assertEquals(3, tuned.perKey());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> RateLimiter.fromEnvironment(
                Map.of(RateLimiter.ENABLED, "on", RateLimiter.PER_KEY, "0")));
        assertTrue(bad.getMessage().startsWith(RateLimiter.PER_KEY), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RateLimiter.fromEnvironment(Map.of(RateLimiter.ENABLED, "maybe")));
    }

    @Test
    void readsTheKeyWhereTheFunctionsReadIt() {
        assertEquals("isk_1", RateLimiter.apiKey("Bearer isk_1", null));
        assertEquals("isk_1", RateLimiter.apiKey("bearer  isk_1 ", null));
        assertEquals("isk_2", RateLimiter.apiKey(null, "isk_2"));
        assertEquals("isk_2", RateLimiter.apiKey("Basic abc", "isk_2"));
        assertNull(RateLimiter.apiKey(null, " "));
    }
}
