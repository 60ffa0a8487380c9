package io.imgstream.adapter.imaging;

import io.imgstream.adapter.storage.BoundedInputStream;

import io.imgstream.application.port.ThumbnailRenderer.Source;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Shrink-on-load for progressive JPEGs. The JDK's reader (which TwelveMonkeys' delegates to) decodes a progressive
 * JPEG in libjpeg's buffered-image mode and runs a full output pass — IDCT, upsampling, colour conversion of every
 * pixel — after each of its scans: ten for libjpeg's usual script, so ten times a baseline decode (its
 * {@code setSourceProgressivePasses} cannot skip the early passes, and stopping early makes it read the rest of the file
 * a byte at a time). A thumbnail whose every output pixel spans at least one 8×8 block needs only each block's mean,
 * which is its DC coefficient, and progressive JPEGs send the DC coefficients first, in a small scan. So the reader is
 * given the bytes up to the end of the first scans that carry the DC of every component, followed by an end-of-image
 * marker: a complete, valid progressive JPEG that libjpeg decodes in one pass (smoothing the blocks). The AC
 * coefficients, nine tenths of the file, are never read. libjpeg's first DC scan usually drops the lowest bit
 * (successive approximation), which shifts block means by a sixteenth of the DC quantiser on average (under half a
 * level at quality 90, in red and blue most), well under what the thumbnail's own JPEG encode changes; see
 * BENCHMARKS.md "Thumbnails".
 */
final class ProgressiveJpeg {

    private static final byte[] EOI = {(byte) 0xFF, (byte) 0xD9};

    private ProgressiveJpeg() {
    }

    /**
     * The least reduction (source pixels per output pixel, each axis) from which the DC coefficients alone make the
     * thumbnail, or {@link Integer#MAX_VALUE} when {@code head} (the file's first bytes) does not reach a progressive
     * (SOF2) frame header. A DC coefficient is the mean of an 8×8 block of its component's samples, so 8 for luma; a
     * chroma component subsampled 2× (4:2:0, 4:2:2) has blocks of 16 source pixels, which a PNG would show but a
     * JPEG thumbnail (itself 4:2:0, chroma at half the output's resolution) does not.
     *
     * @param halvedChroma whether the thumbnail is encoded with chroma at half its resolution (our JPEG)
     */
    static int dcOnlyReduction(byte[] head, int length, boolean halvedChroma) {
        if (length < 4 || (head[0] & 0xFF) != 0xFF || (head[1] & 0xFF) != 0xD8) {
            return Integer.MAX_VALUE;
        }
        int p = 2;
        while (p + 4 <= length) {
            if ((head[p] & 0xFF) != 0xFF) {
                return Integer.MAX_VALUE;
            }
            int marker = head[p + 1] & 0xFF;
            if (marker == 0xFF) {
                p++; // fill byte
                continue;
            }
            int segment = (head[p + 2] & 0xFF) << 8 | (head[p + 3] & 0xFF);
            if (isFrame(marker)) {
                return marker == 0xC2 ? reduction(head, p + 4, Math.min(length, p + 2 + segment), halvedChroma)
                        : Integer.MAX_VALUE;
            }
            if (marker == 0xDA || marker == 0xD9) {
                return Integer.MAX_VALUE;
            }
            p += 2 + segment;
        }
        return Integer.MAX_VALUE;
    }

    /** From an SOF2 payload at {@code from}: precision, height, width, count, then (id, H<<4|V, table) per component. */
    private static int reduction(byte[] head, int from, int to, boolean halvedChroma) {
        if (to - from < 6) {
            return Integer.MAX_VALUE;
        }
        int count = head[from + 5] & 0xFF;
        if (count == 0 || to - from < 6 + 3 * count) {
            return Integer.MAX_VALUE;
        }
        int[] h = new int[count];
        int[] v = new int[count];
        int hMax = 1;
        int vMax = 1;
        for (int i = 0; i < count; i++) {
            int factors = head[from + 7 + 3 * i] & 0xFF;
            h[i] = Math.max(1, factors >> 4);
            v[i] = Math.max(1, factors & 0x0F);
            hMax = Math.max(hMax, h[i]);
            vMax = Math.max(vMax, v[i]);
        }
        int coarsest = 1;
        for (int i = 0; i < count; i++) {
            coarsest = Math.max(coarsest, Math.max(hMax / h[i], vMax / v[i]));
        }
        return 8 * (halvedChroma ? Math.max(1, coarsest / 2) : coarsest);
    }

    /**
     * The DC-only prefix of a progressive JPEG, as a source of its own, or empty when the walk finds anything else (a
     * baseline or arithmetic-coded frame, a marker out of place, an end before every component's DC) or the prefix is
     * not much shorter than the file.
     */
    static Optional<Source> dcOnly(Source source) throws IOException {
        long end;
        try (InputStream in = source.openAt(0)) {
            end = dcScansEnd(new Counting(in), source.size() / 2);
        }
        if (end <= 0) {
            return Optional.empty();
        }
        return Optional.of(new Prefix(source, end));
    }

    /** @return the offset of the marker that follows the scans carrying every component's DC, or -1 */
    private static long dcScansEnd(Counting in, long limit) throws IOException {
        if (in.read() != 0xFF || in.read() != 0xD8) {
            return -1;
        }
        Set<Integer> components = null;
        Map<Integer, Integer> dcBitsDropped = new HashMap<>(); // per component, after the scans so far
        int marker = nextMarker(in);
        while (marker >= 0 && in.position <= limit) {
            if (marker == 0xD9 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
                return -1; // an end, or a restart or TEM outside a scan
            }
            int length = in.read() << 8 | in.read();
            if (length < 2) {
                return -1;
            }
            byte[] segment = in.readN(length - 2);
            if (segment == null) {
                return -1;
            }
            if (isFrame(marker)) {
                if (marker != 0xC2 || components != null || segment.length < 6) {
                    return -1;
                }
                int count = segment[5] & 0xFF;
                if (segment.length < 6 + 3 * count) {
                    return -1;
                }
                components = new HashSet<>();
                for (int i = 0; i < count; i++) {
                    components.add(segment[6 + 3 * i] & 0xFF);
                }
            } else if (marker == 0xDA) {
                if (components == null || segment.length < 1) {
                    return -1;
                }
                int count = segment[0] & 0xFF;
                if (segment.length < 1 + 2 * count + 3) {
                    return -1;
                }
                int spectralStart = segment[1 + 2 * count] & 0xFF;
                int approximationLow = segment[3 + 2 * count] & 0x0F;
                if (spectralStart == 0) {
                    for (int i = 0; i < count; i++) {
                        dcBitsDropped.put(segment[1 + 2 * i] & 0xFF, approximationLow);
                    }
                }
                marker = skipEntropyCoded(in);
                if (marker < 0) {
                    return -1;
                }
                // Every component's DC, at most its lowest bit still to come (libjpeg's first DC scan drops one).
                if (components.stream().allMatch(c -> dcBitsDropped.getOrDefault(c, 99) <= 1)) {
                    return in.position - 2; // where the marker after the scan starts
                }
                continue;
            }
            marker = nextMarker(in);
        }
        return -1;
    }

    /** SOF0–SOF15 but DHT (C4), JPG (C8) and DAC (CC). */
    private static boolean isFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    /** The next marker's code after fill bytes, or -1 when the bytes there are no marker. */
    private static int nextMarker(Counting in) throws IOException {
        if (in.read() != 0xFF) {
            return -1;
        }
        int b = in.read();
        while (b == 0xFF) {
            b = in.read();
        }
        return b <= 0 ? -1 : b;
    }

    /** Skips a scan's entropy-coded bytes (stuffed zeros and restart markers included); returns the marker ending it. */
    private static int skipEntropyCoded(Counting in) throws IOException {
        int b = in.read();
        while (b >= 0) {
            if (b != 0xFF) {
                b = in.read();
                continue;
            }
            int next = in.read();
            while (next == 0xFF) {
                next = in.read();
            }
            if (next < 0) {
                return -1;
            }
            if (next != 0x00 && (next < 0xD0 || next > 0xD7)) {
                return next;
            }
            b = in.read();
        }
        return -1;
    }

    /** A buffered stream that knows how many bytes it has given. */
    private static final class Counting {
        private final InputStream in;
        private final byte[] buffer = new byte[64 * 1024];
        private int next;
        private int filled;
        long position;

        Counting(InputStream in) {
            this.in = in;
        }

        int read() throws IOException {
            if (next == filled) {
                filled = Math.max(0, in.read(buffer, 0, buffer.length));
                next = 0;
                if (filled == 0) {
                    return -1;
                }
            }
            position++;
            return buffer[next++] & 0xFF;
        }

        byte[] readN(int n) throws IOException {
            byte[] bytes = new byte[n];
            for (int i = 0; i < n; i++) {
                int b = read();
                if (b < 0) {
                    return null;
                }
                bytes[i] = (byte) b;
            }
            return bytes;
        }
    }

    /** The first {@code length} bytes of a source, then an EOI marker. */
    private record Prefix(Source source, long length) implements Source {
        @Override
        public long size() {
            return length + EOI.length;
        }

        @Override
        public InputStream openAt(long offset) {
            if (offset >= length) {
                int from = (int) Math.min(EOI.length, offset - length);
                return new ByteArrayInputStream(EOI, from, EOI.length - from);
            }
            InputStream head = new BoundedInputStream(source.openAt(offset), length - offset);
            return new SequenceInputStream(head, new ByteArrayInputStream(EOI));
        }
    }
}
