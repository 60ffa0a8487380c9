package io.imgstream.web;

import io.micronaut.http.HttpRequest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Query parameters read from the raw query string. Under the Functions Framework, asking the request for
 * its parameters makes Jetty parse form bodies, which would consume a multipart upload before it is read;
 * functions that take bodies read parameters here instead of through {@code @QueryValue}.
 */
public final class QueryString {

    private QueryString() {
    }

    /** The first value of {@code name}, percent-decoded ({@code +} is a space, as in every form encoding). */
    public static Optional<String> first(HttpRequest<?> request, String name) {
        String raw = request.getUri().getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return Optional.empty();
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (key.equals(name)) {
                return Optional.of(eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return Optional.empty();
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new io.imgstream.domain.ImgStreamException(io.imgstream.domain.ErrorCode.INVALID_PARAMETER,
                    "The query string is not valid percent-encoding.");
        }
    }
}
