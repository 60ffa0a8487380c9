package io.imgstream.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * The browser origins that may call the API, {@code ALLOWED_ORIGINS} (comma separated; empty: none). Micronaut's CORS
 * filter applies them (application.properties); this record refuses, at start, a value that would silently match
 * nothing.
 */
@ConfigurationProperties("imgstream")
public record CorsSettings(@Nullable String allowedOrigins) {

    public CorsSettings {
        // Browsers send an origin exactly (no path, no trailing slash); anything else would silently match nothing.
        if (allowedOrigins != null) {
            for (String origin : allowedOrigins.split(",")) {
                String o = origin.trim();
                if (!o.isEmpty() && !o.equals("*") && !o.matches("https?://[^/?#\\s]+")) {
                    InvalidConfigurationException.fail("ALLOWED_ORIGINS holds '" + o
                            + "', which is not an origin: scheme://host[:port], without a path or trailing slash");
                }
            }
        }
    }
}
