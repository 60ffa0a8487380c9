package io.imgstream.web;

import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.ImgStreamException;
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

    /**
     * The value of {@code name}, percent-decoded ({@code +} is a space, as in every form encoding). A parameter given
     * twice is refused rather than resolved: frameworks disagree on whether the first or the last wins, and
     * {@code ?onConflict=skip&onConflict=overwrite} must not be read as either.
     *
     * @throws ImgStreamException {@code invalid_parameter} when {@code name} appears more than once
     */
    public static Optional<String> single(HttpRequest<?> request, String name) {
        String raw = request.getUri().getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return Optional.empty();
        }
        String value = null;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (key.equals(name)) {
                if (value != null) {
                    throw new ImgStreamException(ErrorCode.INVALID_PARAMETER,
                            "Give " + name + " once; the query string repeats it.");
                }
                value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            }
        }
        return Optional.ofNullable(value);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ImgStreamException(ErrorCode.INVALID_PARAMETER,
                    "The query string is not valid percent-encoding.");
        }
    }
}
