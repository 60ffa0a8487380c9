package io.imgstream.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The environment variables application.properties reads as whole numbers or booleans, checked before Micronaut binds
 * them. Micronaut's own conversion fails on {@code MAX_UPLOAD_BYTES=abc} with a multi-line bean-path dump, and reads
 * {@code MONITORING_ENABLED=1} or {@code =banana} silently as {@code false}; here each is refused with one line naming
 * the variable (true/false, yes/no and on/off are accepted: Micronaut reads those as they say). Ranges stay in the
 * settings records. The lists are constants, not read from application.properties at start (a resource read from the
 * shaded jar costs ≈ 7 ms of cold start); {@code EnvironmentCheckTest} keeps them equal to the placeholders whose
 * default is a number or a boolean.
 */
public final class EnvironmentCheck {

    static final List<String> WHOLE_NUMBERS = List.of("MAX_UPLOAD_BYTES", "MAX_IMAGE_PIXELS", "COLLISION_DETECTION_BATCH_SIZE",
            "MONITORING_EVENT_RETENTION_DAYS", "DELETED_RETENTION_HOURS", "DB_MAX_POOL_SIZE", "CLEANUP_TIME_BUDGET_SECONDS",
            "CLEANUP_GRACE_MINUTES", "CLEANUP_BATCH_SIZE", "DB_CONNECT_TIMEOUT_SECONDS", "DB_SOCKET_TIMEOUT_SECONDS",
            "DB_STATEMENT_TIMEOUT_MS", "THUMBNAIL_RENDER_CONCURRENCY", "MAX_RESUMABLE_BYTES", "RESUMABLE_EXPIRY_HOURS");
    static final List<String> BOOLEANS = List.of("MONITORING_ENABLED");
    /** What Micronaut reads as the word says (true, yes, on → true; false, no, off → false); "1" it would read as false. */
    private static final List<String> BOOLEAN_WORDS = List.of("true", "false", "yes", "no", "on", "off");

    private EnvironmentCheck() {
    }

    /** Fails with one logged line ({@link InvalidConfigurationException}) at the first malformed variable. */
    public static void verify(Map<String, String> env) {
        for (String variable : WHOLE_NUMBERS) {
            String value = env.get(variable);
            if (value != null && !isWholeNumber(value)) {
                InvalidConfigurationException.fail(variable + " must be a whole number (digits only); it is '" + value + "'");
            }
        }
        String format = env.get("LOG_FORMAT");
        if (format != null && !format.equalsIgnoreCase("text") && !format.equalsIgnoreCase("json")) {
            InvalidConfigurationException.fail("LOG_FORMAT must be text or json; it is '" + format + "'");
        }
        for (String variable : BOOLEANS) {
            String value = env.get(variable);
            if (value != null && !BOOLEAN_WORDS.contains(value.toLowerCase(Locale.ROOT))) {
                InvalidConfigurationException.fail(variable + " must be true or false (or yes/no, on/off); it is '" + value + "'");
            }
        }
    }

    private static boolean isWholeNumber(String value) {
        // A plain loop: a first lambda or stream would bootstrap invokedynamic on the cold-start path.
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return !value.isEmpty();
    }
}
