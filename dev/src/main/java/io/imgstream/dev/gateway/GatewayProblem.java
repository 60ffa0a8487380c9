package io.imgstream.dev.gateway;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import javax.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The gateway's own answers (no route, rate limited, function unreachable, unreadable request) as RFC 9457 problems
 * with the product's field set ({@code type}, {@code title}, {@code status}, {@code detail}, {@code code}; see
 * {@code io.imgstream.web.Problem}). Written here because the dev module depends on no ImgStream module; the codes are
 * the product's where one fits ({@code not_found}, {@code bad_request}) and two of the gateway's own
 * ({@code rate_limited}, {@code bad_gateway}).
 */
enum GatewayProblem {
    BAD_REQUEST(400, "Bad request"),
    NOT_FOUND(404, "Not found"),
    RATE_LIMITED(429, "Too many requests"),
    BAD_GATEWAY(502, "Bad gateway");

    static final String TYPE_PREFIX = "https://imgstream.dev/problems/";
    static final String MEDIA_TYPE = "application/problem+json";

    private final int status;
    private final String title;

    GatewayProblem(int status, String title) {
        this.status = status;
        this.title = title;
    }

    /** The constant's name in lower case, as the product's codes are ({@code bad_request}). */
    String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    String json(String detail) {
        String code = code();
        return "{\"type\":" + quote(TYPE_PREFIX + code) + ",\"title\":" + quote(title) + ",\"status\":" + status
                + ",\"detail\":" + quote(detail) + ",\"code\":" + quote(code) + "}";
    }

    /** A JSON string literal, escaped by jackson-core (as the product's {@code io.imgstream.json.JsonStrings} is). */
    private static String quote(String s) {
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"';
    }

    void send(HttpServletResponse response, String detail) throws IOException {
        byte[] body = json(detail).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(MEDIA_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
