package io.imgstream.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The emulator's own settings, from the environment: {@code IMGSTREAM_HOME} (default {@code ./.imgstream}),
 * {@code IMGSTREAM_BASE_PORT} (8081: upload, +1 fetch, +2 collision-check, +3 cleanup),
 * {@code IMGSTREAM_DEV_USERS} (default {@code dev}), {@code IMGSTREAM_PG_PORT} (0: any free port) and
 * {@code IMGSTREAM_LOCAL_CLEANUP_INTERVAL} (an ISO-8601 or {@code 90s}/{@code 5m}/{@code 1h} duration; off
 * by default).
 */
record LocalSettings(Path home, int basePort, List<String> devUsers, int postgresPort, Duration cleanupInterval) {

    static LocalSettings fromEnvironment(Map<String, String> env) {
        Path home = Path.of(env.getOrDefault("IMGSTREAM_HOME", ".imgstream")).toAbsolutePath().normalize();
        int basePort = Integer.parseInt(env.getOrDefault("IMGSTREAM_BASE_PORT", "8081").trim());
        List<String> users = Arrays.stream(env.getOrDefault("IMGSTREAM_DEV_USERS", "dev").split("[,\\s]+"))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        int pgPort = Integer.parseInt(env.getOrDefault("IMGSTREAM_PG_PORT", "0").trim());
        return new LocalSettings(home, basePort, users, pgPort, parseDuration(env.get("IMGSTREAM_LOCAL_CLEANUP_INTERVAL")));
    }

    static Duration parseDuration(String value) {
        if (value == null || value.isBlank() || value.equals("0") || value.equalsIgnoreCase("off")) {
            return null;
        }
        String v = value.trim().toLowerCase();
        if (v.startsWith("p")) {
            return Duration.parse(v.toUpperCase());
        }
        long n = Long.parseLong(v.replaceAll("[a-z]+$", ""));
        return switch (v.replaceAll("^[0-9]+", "")) {
            case "", "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> throw new IllegalArgumentException("IMGSTREAM_LOCAL_CLEANUP_INTERVAL: not a duration: " + value);
        };
    }

    Path postgresData() {
        return home.resolve("postgres");
    }

    Path storage() {
        return home.resolve("storage");
    }

    Path localJson() {
        return home.resolve("local.json");
    }
}
