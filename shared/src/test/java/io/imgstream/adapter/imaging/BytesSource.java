package io.imgstream.adapter.imaging;

import io.imgstream.application.port.ThumbnailRenderer;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;

/** Stored bytes in memory, counting how often they are opened. */
final class BytesSource implements ThumbnailRenderer.Source {

    private final byte[] bytes;
    final AtomicInteger opens = new AtomicInteger();

    BytesSource(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public InputStream openAt(long offset) {
        opens.incrementAndGet();
        return new ByteArrayInputStream(bytes, (int) offset, bytes.length - (int) offset);
    }
}
