package io.imgstream.json;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * The JSON string literals of the hand-built JSON (log lines, problem bodies, event payloads, the emulator's
 * CloudEvents): those are built with a {@link StringBuilder} where a mapper would cost more than the text it writes.
 * The escaping is jackson-core's own ({@link JsonStringEncoder}, RFC 8259 §7), the one the JSON readers here use.
 */
public final class JsonStrings {

    private JsonStrings() {
    }

    /** Appends {@code s} as a JSON string literal (quoted and escaped); null as {@code ""}. */
    public static void quote(StringBuilder out, String s) {
        out.append('"');
        if (s != null) {
            JsonStringEncoder.getInstance().quoteAsString(s, out);
        }
        out.append('"');
    }

    /** {@code s} as a JSON string literal. */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder(s == null ? 2 : s.length() + 2);
        quote(out, s);
        return out.toString();
    }
}
