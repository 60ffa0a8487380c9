package io.imgstream.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code $IMGSTREAM_HOME/local.json}: the function URLs and the dev users' keys, for scripts and tests.
 * Written owner-readable only (it holds keys) and atomically (a reader never sees half a file).
 */
final class LocalJson {

    private static final Pattern USER_KEY = Pattern.compile("\"([A-Za-z0-9._-]+)\"\\s*:\\s*\"(isk_[0-9A-Za-z]+)\"");
    private static final Pattern DATABASE = Pattern.compile("\"database\"\\s*:\\s*\"([^\"]+)\"");

    private LocalJson() {
    }

    static void write(Path file, Map<String, String> urls, Map<String, String> keys, String databaseUrl, Path storage)
            throws IOException {
        StringBuilder json = new StringBuilder("{\n");
        urls.forEach((k, v) -> json.append("  \"").append(k).append("\": \"").append(v).append("\",\n"));
        json.append("  \"users\": {");
        int i = 0;
        for (Map.Entry<String, String> e : keys.entrySet()) {
            json.append(i++ == 0 ? "\n" : ",\n").append("    \"").append(e.getKey()).append("\": \"").append(e.getValue()).append('"');
        }
        json.append("\n  },\n");
        json.append("  \"database\": \"").append(databaseUrl.replace("\"", "")).append("\",\n");
        json.append("  \"storage\": \"").append(storage.toString().replace("\\", "/").replace("\"", "")).append("\"\n}\n");
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, json, StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The user → key map of a previous run, or empty. */
    static Map<String, String> readUsers(Path file) throws IOException {
        Map<String, String> users = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return users;
        }
        String text = Files.readString(file);
        int start = text.indexOf("\"users\"");
        if (start < 0) {
            return users;
        }
        Matcher m = USER_KEY.matcher(text.substring(start, text.indexOf('}', start) + 1));
        while (m.find()) {
            users.put(m.group(1), m.group(2));
        }
        return users;
    }

    /** The database URL of a running (or last) emulator, if recorded. */
    static String readDatabase(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        Matcher m = DATABASE.matcher(Files.readString(file));
        return m.find() ? m.group(1) : null;
    }
}
