package io.imgstream.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The emulator's own settings, from the environment: {@code IMGSTREAM_HOME} (default {@code ./.imgstream}),
 * {@code IMGSTREAM_BASE_PORT} (8081: upload, +1 fetch, +2 collision-check, +3 cleanup),
 * {@code IMGSTREAM_GATEWAY_PORT} (the one base URL for clients; default the base port − 1, so 8080),
 * {@code IMGSTREAM_DEV_USERS} (default {@code dev}), {@code IMGSTREAM_PG_PORT} (0: any free port) and
 * {@code IMGSTREAM_LOCAL_CLEANUP_INTERVAL} (an ISO-8601 or {@code 90s}/{@code 5m}/{@code 1h} duration; off
 * by default).
 */
record LocalSettings(Path home, int basePort, int gatewayPort, List<String> devUsers, int postgresPort,
                     Duration cleanupInterval) {

    static LocalSettings fromEnvironment(Map<String, String> env) {
        Path home = Path.of(env.getOrDefault("IMGSTREAM_HOME", ".imgstream")).toAbsolutePath().normalize();
        int basePort = port(env, "IMGSTREAM_BASE_PORT", "8081", 1, 65535 - 3);
        List<String> users = Arrays.stream(env.getOrDefault("IMGSTREAM_DEV_USERS", "dev").split("[,\\s]+"))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        int gatewayPort = port(env, "IMGSTREAM_GATEWAY_PORT", Integer.toString(basePort - 1), 1, 65535);
        if (gatewayPort >= basePort && gatewayPort <= basePort + 3) {
            throw new IllegalArgumentException("IMGSTREAM_GATEWAY_PORT " + gatewayPort + " is one of the function ports "
                    + basePort + ".." + (basePort + 3) + " (IMGSTREAM_BASE_PORT and the next three); choose another.");
        }
        int pgPort = port(env, "IMGSTREAM_PG_PORT", "0", 0, 65535);
        return new LocalSettings(home, basePort, gatewayPort, users, pgPort,
                parseDuration(env.get("IMGSTREAM_LOCAL_CLEANUP_INTERVAL")));
    }

    /** A port in {@code [min, max]}, or one line naming the variable (the emulator prints it and stops). */
    private static int port(Map<String, String> env, String name, String fallback, int min, int max) {
        String value = env.getOrDefault(name, fallback).trim();
        try {
            int port = Integer.parseInt(value);
            if (port >= min && port <= max) {
                return port;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(name + " must be a port number from " + min + " to " + max + ", not '" + value + "'.");
    }

    static Duration parseDuration(String value) {
        if (value == null || value.isBlank() || value.equals("0") || value.equalsIgnoreCase("off")) {
            return null;
        }
        String v = value.trim().toLowerCase();
        try {
            Duration d;
            if (v.startsWith("p")) {
                d = Duration.parse(v.toUpperCase());
            } else {
                long n = Long.parseLong(v.replaceAll("[a-z]+$", ""));
                d = switch (v.replaceAll("^[0-9]+", "")) {
                    case "", "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> null;
                };
            }
            if (d != null && !d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (RuntimeException e) {
            // said below
        }
        throw new IllegalArgumentException("IMGSTREAM_LOCAL_CLEANUP_INTERVAL must be a duration such as 90s, 5m, 1h or"
                + " PT10M (or off), not '" + value + "'.");
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
