package io.imgstream.dev.gateway;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The two limits Cloud Armor enforces in front of the deployed API, for a client author to see the same 429 locally:
 * requests per client IP per minute, and requests per API key per minute (the key from {@code Authorization: Bearer}
 * or {@code X-API-Key}). Both apply to a keyed request; a request refused by either is not counted against the other.
 * Fixed one-minute windows per client and per key, starting at that client's (key's) first request: Cloud Armor's
 * {@code rate_limit_threshold} with {@code interval_sec = 60} counts the same way, and a refused client learns from
 * {@code Retry-After} when its window ends.
 *
 * <p>Off by default ({@link #fromEnvironment}): the benchmarks must not be throttled.
 */
public final class RateLimiter {

    /** On when {@code on}/{@code true}/{@code 1}/{@code yes}. */
    public static final String ENABLED = "IMGSTREAM_GATEWAY_RATE_LIMIT";
    /** Terraform's {@code rate_limit_per_ip_per_minute}. */
    public static final String PER_IP = "IMGSTREAM_RATE_LIMIT_PER_IP_PER_MINUTE";
    /** Terraform's {@code rate_limit_per_key_per_minute}. */
    public static final String PER_KEY = "IMGSTREAM_RATE_LIMIT_PER_KEY_PER_MINUTE";
    public static final int DEFAULT_PER_IP = 1000;
    public static final int DEFAULT_PER_KEY = 100;
    private static final long WINDOW_NANOS = 60_000_000_000L;

    /** A refusal: which limit, and the whole seconds until its window ends (at least 1). */
    public record Refusal(String limit, int perMinute, long retryAfterSeconds) {
    }

    private final int perIp;
    private final int perKey;
    private final LongSupplier nanoClock;
    private final Map<String, Window> windows = new HashMap<>();
    private long lastSweep;

    public RateLimiter(int perIp, int perKey, LongSupplier nanoClock) {
        if (perIp < 1 || perKey < 1) {
            throw new IllegalArgumentException("rate limits must be at least 1 request per minute");
        }
        this.perIp = perIp;
        this.perKey = perKey;
        this.nanoClock = nanoClock;
        this.lastSweep = nanoClock.getAsLong();
    }

    /** The limiter the environment asks for, or null when it is off (the default). */
    public static RateLimiter fromEnvironment(Map<String, String> env) {
        String enabled = env.getOrDefault(ENABLED, "").trim().toLowerCase(Locale.ROOT);
        boolean on = switch (enabled) {
            case "on", "true", "1", "yes" -> true;
            case "", "off", "false", "0", "no" -> false;
            default -> throw new IllegalArgumentException(ENABLED + " must be on or off, not '" + env.get(ENABLED) + "'.");
        };
        if (!on) {
            return null;
        }
        return new RateLimiter(limit(env, PER_IP, DEFAULT_PER_IP), limit(env, PER_KEY, DEFAULT_PER_KEY), System::nanoTime);
    }

    private static int limit(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(name + " must be a whole number of requests per minute (at least 1), not '"
                + value + "'.");
    }

    public int perIp() {
        return perIp;
    }

    public int perKey() {
        return perKey;
    }

    /**
     * Counts one request of {@code clientIp} with {@code apiKey} (null when it carries none), or refuses it.
     *
     * @return null when admitted
     */
    public synchronized Refusal admit(String clientIp, String apiKey) {
        long now = nanoClock.getAsLong();
        sweep(now);
        Window ip = windows.computeIfAbsent("ip " + clientIp, k -> new Window(now));
        ip.roll(now);
        Window key = null;
        if (apiKey != null) {
            key = windows.computeIfAbsent("key " + apiKey, k -> new Window(now));
            key.roll(now);
        }
        if (ip.count >= perIp) {
            return new Refusal("per client IP", perIp, ip.secondsLeft(now));
        }
        if (key != null && key.count >= perKey) {
            return new Refusal("per API key", perKey, key.secondsLeft(now));
        }
        ip.count++;
        if (key != null) {
            key.count++;
        }
        return null;
    }

    /** Forgets windows that ended, once a minute, so that many clients or keys do not grow the map forever. */
    private void sweep(long now) {
        if (now - lastSweep >= WINDOW_NANOS) {
            windows.values().removeIf(w -> now - w.start >= WINDOW_NANOS);
            lastSweep = now;
        }
    }

    private static final class Window {
        long start;
        int count;

        Window(long start) {
            this.start = start;
        }

        void roll(long now) {
            if (now - start >= WINDOW_NANOS) {
                start = now;
                count = 0;
            }
        }

        long secondsLeft(long now) {
            long left = WINDOW_NANOS - (now - start);
            return Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
        }
    }

    /**
     * The API key a request carries, as the functions read it: {@code Authorization: Bearer K} or {@code X-API-Key: K};
     * null when none.
     */
    public static String apiKey(String authorization, String xApiKey) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String k = authorization.substring(7).trim();
            if (!k.isEmpty()) {
                return k;
            }
        }
        return xApiKey == null || xApiKey.isBlank() ? null : xApiKey.trim();
    }
}
