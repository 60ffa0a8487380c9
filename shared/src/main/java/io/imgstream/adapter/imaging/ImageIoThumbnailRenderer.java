package io.imgstream.adapter.imaging;

import io.imgstream.application.port.StorageUnavailableException;
import io.imgstream.application.port.ThumbnailRenderer;
import io.imgstream.application.upload.ImageInspector;
import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.ImageFormat;
import io.imgstream.domain.ImgStreamException;
import io.imgstream.domain.Orientation;
import io.imgstream.domain.ThumbnailSpec;
import jakarta.inject.Singleton;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The thumbnail pipeline on ImageIO with the TwelveMonkeys plugins (CMYK/YCCK JPEG with their ICC profiles, TIFF,
 * WebP, BMP) beside the JDK's own (JPEG, PNG, GIF): {@link Decode} → {@link AreaAverage} → {@link Orient} →
 * {@link Encode}, each a small step of its own; a progressive JPEG shrunk 8× or more is read only up to its DC scans
 * ({@link ProgressiveJpeg}). Readers are disposed after every render; nothing is cached in memory.
 */
@Singleton
public class ImageIoThumbnailRenderer implements ThumbnailRenderer {

    /** Bump when the same source and spec would render to other bytes (see {@link ThumbnailRenderer#revision}). */
    static final String REVISION = "r2";
    private static final Set<ImageFormat> NATIVE = EnumSet.of(ImageFormat.HEIC, ImageFormat.HEIF, ImageFormat.AVIF);
    private static final Path WORK_DIR = Path.of(System.getProperty("java.io.tmpdir"), "imgstream-thumbnails");

    private final NativeDecoder nativeDecoder;

    public ImageIoThumbnailRenderer() {
        this(NativeDecoder.onPath());
    }

    /** With these native decoders only (tests pick one tool at a time). */
    ImageIoThumbnailRenderer(NativeDecoder nativeDecoder) {
        // The Functions Framework loads the function's jar in a class loader of its own, which ImageIO's registry
        // (filled from the system class loader) does not see: the plugins must be registered from here.
        ImageIO.scanForPlugins();
        ImageIO.setUseCache(false);
        this.nativeDecoder = nativeDecoder;
    }

    @Override
    public String revision() {
        return REVISION;
    }

    @Override
    public boolean canRender(ImageFormat format) {
        return !NATIVE.contains(format) || nativeDecoder.decodes(format);
    }

    @Override
    public Rendition render(Source source, ImageFormat format, ThumbnailSpec spec) {
        if (!canRender(format)) {
            throw new ImgStreamException(ErrorCode.THUMBNAIL_UNSUPPORTED, "Thumbnails of " + format.contentType()
                    + " images cannot be rendered here: no " + format.name() + " decoder is installed (the content is"
                    + " served as stored).");
        }
        return NATIVE.contains(format) ? renderNatively(source, format, spec) : render(source, spec, -1);
    }

    /** Through a native decoder, from a copy of the bytes in a temporary file (a process reads files). */
    private Rendition renderNatively(Source source, ImageFormat format, ThumbnailSpec spec) {
        Path input = null;
        Optional<Path> png = Optional.empty();
        try {
            Files.createDirectories(WORK_DIR);
            input = Files.createTempFile(WORK_DIR, "source-", "." + format.name().toLowerCase(java.util.Locale.ROOT));
            try (InputStream in = source.openAt(0)) {
                Files.copy(in, input, StandardCopyOption.REPLACE_EXISTING);
            }
            png = nativeDecoder.decode(input, format, spec);
            if (png.isEmpty()) {
                throw unreadable(null);
            }
            Rendition upright = render(new FileSource(png.get(), Files.size(png.get())), spec, Orientation.UPRIGHT);
            return new Rendition(upright.bytes(), upright.contentType(), upright.width(), upright.height(),
                    orientation(new FileSource(input, Files.size(input))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(input);
            deleteQuietly(png.orElse(null));
        }
    }

    /**
     * @param fixedOrientation the orientation to apply, or -1 for the one the source declares
     */
    private static Rendition render(Source source, ThumbnailSpec spec, int fixedOrientation) {
        SourceImageInputStream dcOnly = null;
        try (SourceImageInputStream in = new SourceImageInputStream(source)) {
            // The headers (EXIF, the JPEG frame type) from the first window, which the decoder then reads again from memory.
            byte[] head = fixedOrientation >= 0 ? new byte[0] : head(in);
            int orientation = fixedOrientation >= 0 ? fixedOrientation : ImageInspector.inspect(head, head.length).orientation();
            ImageReader reader = Decode.readerFor(in);
            if (reader == null) {
                throw unreadable(null);
            }
            try {
                boolean tiff = "tif".equalsIgnoreCase(reader.getFormatName()) || "tiff".equalsIgnoreCase(reader.getFormatName());
                // A TIFF's first directory may follow its pixels, past the first bytes: its reader tells the orientation.
                reader.setInput(in, true, !tiff || fixedOrientation >= 0);
                if (tiff && fixedOrientation < 0) {
                    orientation = TiffOrientation.of(reader).orElse(orientation);
                }
                Decode.Plan plan = Decode.Plan.of(reader.getWidth(0), reader.getHeight(0), spec);
                boolean jpegOut = spec.format() != ThumbnailSpec.Output.PNG; // what an opaque source gets unless asked
                if (plan.reduction() >= ProgressiveJpeg.dcOnlyReduction(head, head.length, jpegOut)) {
                    Optional<Source> prefix = ProgressiveJpeg.dcOnly(source);
                    if (prefix.isPresent()) {
                        dcOnly = new SourceImageInputStream(prefix.get());
                        reader.setInput(dcOnly, true, true);
                    }
                }
                List<String> warnings = new ArrayList<>();
                Decode.Decoded decoded = Decode.read(reader, plan, warnings);
                if (warnings.stream().anyMatch(w -> w.toLowerCase(java.util.Locale.ROOT).contains("premature end"))) {
                    throw unreadable(null);
                }
                BufferedImage upright = Orient.upright(AreaAverage.resize(decoded.pixels(), plan.width(), plan.height()),
                        orientation);
                ThumbnailSpec.Output output = spec.format() != null ? spec.format()
                        : decoded.alpha() ? ThumbnailSpec.Output.PNG : ThumbnailSpec.Output.JPEG;
                byte[] bytes = output == ThumbnailSpec.Output.JPEG ? Encode.jpeg(upright) : Encode.png(upright);
                return new Rendition(bytes, output.contentType(), upright.getWidth(), upright.getHeight(), orientation);
            } finally {
                reader.dispose();
            }
        } catch (ImgStreamException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            StorageUnavailableException storage = storageFailure(e);
            if (storage != null) {
                throw storage;
            }
            throw unreadable(e);
        } finally {
            closeQuietly(dcOnly);
        }
    }

    /** The source's first window, where JPEG, PNG and WebP keep their EXIF orientation; then back to the start. */
    private static byte[] head(SourceImageInputStream in) throws IOException {
        byte[] header = new byte[(int) Math.min(in.length(), SourceImageInputStream.WINDOW)];
        in.readFully(header);
        in.seek(0);
        return header;
    }

    private static int orientation(SourceImageInputStream in) throws IOException {
        byte[] header = head(in);
        return ImageInspector.inspect(header, header.length).orientation();
    }

    private static void closeQuietly(SourceImageInputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // a read of the stored bytes; nothing is left open
            }
        }
    }

    private static int orientation(Source source) throws IOException {
        try (SourceImageInputStream in = new SourceImageInputStream(source)) {
            return orientation(in);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover in the temporary directory; every render's name differs
            }
        }
    }

    /** A failure to read the source (the reader wraps it in its own exception): a 503, not the image's fault. */
    private static StorageUnavailableException storageFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StorageUnavailableException s) {
                return s;
            }
        }
        return null;
    }

    private static ImgStreamException unreadable(Throwable cause) {
        return new ImgStreamException(ErrorCode.IMAGE_UNREADABLE, "The image's bytes cannot be decoded (the file is "
                + "corrupt or cut short), so no thumbnail can be made; the content is served as stored.", cause);
    }

    /** Bytes in a file (the native decoder's output; the benchmark's sources), the size known beforehand. */
    public record FileSource(Path file, long size) implements Source {
        @Override
        public InputStream openAt(long offset) {
            try {
                InputStream in = Files.newInputStream(file);
                in.skipNBytes(offset);
                return in;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
