package io.imgstream.bench;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The upload suite's second baseline: a bare Functions Framework function doing the least an upload must do —
 * read the body, SHA-256 it, write it durably to a file — with nothing else (no framework, no checks, no database).
 * It shows the ceiling the invoker, the JVM and the disk set on this machine.
 */
public class SinkFunction implements HttpFunction {
    @Override
    public void service(HttpRequest request, HttpResponse response) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        Path file = Files.createTempFile("bench-sink", ".bin");
        long total = 0;
        try (InputStream in = request.getInputStream();
             FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
             OutputStream out = Channels.newOutputStream(channel)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
                total += n;
            }
            channel.force(false); // durable, as the filesystem adapter's objects and the raw copy are
        } finally {
            Files.deleteIfExists(file);
        }
        response.setStatusCode(201);
        response.setContentType("text/plain");
        response.getWriter().write(total + " " + HexFormat.of().formatHex(digest.digest()));
    }
}
