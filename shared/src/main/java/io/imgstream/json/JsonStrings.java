package io.imgstream.json;

/**
 * The one JSON string escaper of the hand-built JSON (log lines, problem bodies, event payloads, the emulator's
 * CloudEvents): those are built with a {@link StringBuilder} where a mapper would cost more than the text it writes.
 */
public final class JsonStrings {

    private JsonStrings() {
    }

    /** Appends {@code s} as a JSON string literal (quoted and escaped, RFC 8259 §7); null as {@code ""}. */
    public static void quote(StringBuilder out, String s) {
        out.append('"');
        if (s != null) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
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
