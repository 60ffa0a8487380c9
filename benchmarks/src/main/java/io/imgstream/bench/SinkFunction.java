package io.imgstream.bench;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import io.imgstream.adapter.storage.FilesystemObjectStorage;

import java.io.InputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The upload suite's second baseline: a bare Functions Framework function doing the least an upload must do —
 * read the body, SHA-256 it, write it durably through the same storage adapter the function uses (fdatasync with
 * write-behind, rename, directory sync) — with nothing else (no framework, no checks, no database). It shows the
 * ceiling the invoker, the JVM, the disk and the adapter set on this machine; it runs from the upload function's jar.
 */
public class SinkFunction implements HttpFunction {

    private final FilesystemObjectStorage storage;

    public SinkFunction() throws java.io.IOException {
        storage = new FilesystemObjectStorage(Path.of(System.getenv("LOCAL_STORAGE_DIR"), "bench-sink"));
    }

    @Override
    public void service(HttpRequest request, HttpResponse response) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        String name = "sink/" + UUID.randomUUID();
        long total;
        try (InputStream in = new DigestInputStream(request.getInputStream(), digest)) {
            total = storage.write(name, in, "application/octet-stream");
        } finally {
            storage.delete(name);
        }
        response.setStatusCode(201);
        response.setContentType("text/plain");
        response.getWriter().write(total + " " + HexFormat.of().formatHex(digest.digest()));
    }
}
