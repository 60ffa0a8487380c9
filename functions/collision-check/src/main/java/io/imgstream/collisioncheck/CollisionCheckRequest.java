package io.imgstream.collisioncheck;

import io.imgstream.application.collisioncheck.CheckCollisions;
import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.ImgStreamException;
import io.imgstream.json.StrictJson;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /collision-check}: {@code {"files":[{"filename":…,"sha256":…}]}} (by name and content) or
 * {@code {"filenames":[…]}} (by name), exactly one of them. Parsed as a strict JSON tree and its shape checked, not
 * bound by a binder: one would read any size, turn {@code 1} into the name {@code "1"} and answer an absent body with a
 * decoder message. A {@code null} entry of {@code files} is kept: it gets its own {@code invalid} answer.
 */
@Serdeable
public record CollisionCheckRequest(@Nullable List<File> files, @Nullable List<String> filenames) {

    /** One file of a by-content check. */
    @Serdeable
    public record File(@Nullable String filename, @Nullable String sha256) {
    }

    /** The request of {@code body} (at most the bound the controller read), or the problem of its shape. */
    public static CollisionCheckRequest parse(byte[] body) {
        JsonNode json = blank(body) ? null : read(body);
        if (json == null || !json.isObject()) {
            throw shape("The body must be a JSON object: {\"files\":[{\"filename\":…,\"sha256\":…}]} or {\"filenames\":[…]}.");
        }
        JsonNode files = json.get("files");
        JsonNode filenames = json.get("filenames");
        if ((files == null || files.isNull()) == (filenames == null || filenames.isNull())) {
            throw new ImgStreamException(ErrorCode.BAD_REQUEST, "Send either {\"files\":[…]} or {\"filenames\":[…]}.");
        }
        boolean byContent = files != null && !files.isNull();
        JsonNode list = byContent ? files : filenames;
        if (!list.isArray()) {
            throw shape((byContent ? "files" : "filenames") + " must be an array.");
        }
        if (!byContent) {
            List<String> names = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                names.add(string(list.get(i), "filenames[" + i + "]"));
            }
            return new CollisionCheckRequest(null, names);
        }
        List<File> entries = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            if (entry.isNull()) {
                entries.add(null);
            } else if (entry.isObject()) {
                entries.add(new File(string(entry.get("filename"), "files[" + i + "].filename"),
                        string(entry.get("sha256"), "files[" + i + "].sha256")));
            } else {
                throw shape("files[" + i + "] must be an object: {\"filename\":…,\"sha256\":…}.");
            }
        }
        return new CollisionCheckRequest(entries, null);
    }

    /** The use case's items, in request order. */
    public List<CheckCollisions.Item> items() {
        if (files == null) {
            return filenames.stream().map(name -> new CheckCollisions.Item(name, null)).toList();
        }
        return files.stream().map(f -> f == null ? new CheckCollisions.Item(null, null)
                : new CheckCollisions.Item(f.filename(), f.sha256())).toList();
    }

    private static JsonNode read(byte[] body) {
        try {
            return StrictJson.read(body);
        } catch (StrictJson.Malformed e) {
            throw new ImgStreamException(ErrorCode.MALFORMED_JSON, e.getMessage());
        } catch (IOException | RuntimeException e) {
            throw new ImgStreamException(ErrorCode.MALFORMED_JSON, "The request body is not valid JSON.");
        }
    }

    /** Only JSON whitespace, without copying up to 4 MiB into a string to find out. */
    private static boolean blank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static @Nullable String string(@Nullable JsonNode value, String where) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw shape(where + " must be a string.");
        }
        return value.getStringValue();
    }

    private static ImgStreamException shape(String detail) {
        return new ImgStreamException(ErrorCode.MALFORMED_JSON, detail);
    }
}
