package io.imgstream.adapter.imaging;

import io.imgstream.domain.ImageFormat;
import io.imgstream.domain.ThumbnailSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * HEIC, HEIF and AVIF through a native decoder of the host, run as a process: no open-source pure-Java decoder of
 * HEVC or AV1 exists. Tried in order: libvips' {@code vipsthumbnail} (shrink-on-load to the thumbnail itself), libheif's
 * {@code heif-dec}/{@code heif-convert}, libavif's {@code avifdec}; each writes a PNG that the Java pipeline then
 * renders. libheif applies the container's rotation and mirror boxes, so the PNG is already upright.
 */
final class NativeDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(NativeDecoder.class);
    private static final long TIMEOUT_SECONDS = 30;
    private static final Set<ImageFormat> HEIF_FAMILY = EnumSet.of(ImageFormat.HEIC, ImageFormat.HEIF, ImageFormat.AVIF);

    /** A program and the formats it decodes. */
    private record Tool(String program, Path path, Set<ImageFormat> formats) {
    }

    private final List<Tool> tools;

    private NativeDecoder(List<Tool> tools) {
        this.tools = tools;
    }

    /** The decoders on {@code PATH}; logged once, so an operator sees why HEIC answers 422. */
    static NativeDecoder onPath() {
        List<Tool> found = new ArrayList<>();
        find("vipsthumbnail").filter(NativeDecoder::vipsLoadsHeif)
                .ifPresent(p -> found.add(new Tool("vipsthumbnail", p, HEIF_FAMILY)));
        find("heif-dec").or(() -> find("heif-convert"))
                .ifPresent(p -> found.add(new Tool(p.getFileName().toString(), p, HEIF_FAMILY)));
        find("avifdec").ifPresent(p -> found.add(new Tool("avifdec", p, EnumSet.of(ImageFormat.AVIF))));
        LOG.info("HEIC/HEIF/AVIF thumbnails: {}", found.isEmpty() ? "no native decoder on PATH (answered 422 thumbnail_unsupported)"
                : "decoded by " + found.stream().map(Tool::program).toList());
        return new NativeDecoder(List.copyOf(found));
    }

    boolean decodes(ImageFormat format) {
        return tools.stream().anyMatch(t -> t.formats().contains(format));
    }

    /**
     * {@code input} decoded to a PNG file beside it (the caller deletes it), shrunk to {@code spec} where the tool can.
     *
     * @return empty when every tool failed on these bytes
     */
    Optional<Path> decode(Path input, ImageFormat format, ThumbnailSpec spec) throws IOException {
        for (Tool tool : tools) {
            if (!tool.formats().contains(format)) {
                continue;
            }
            Path output = input.resolveSibling(input.getFileName() + "-" + tool.program() + ".png");
            List<String> command = switch (tool.program()) {
                case "vipsthumbnail" -> List.of(tool.path().toString(), input.toString(), "--size",
                        spec.size() + "x" + spec.size() + ">", "--smartcrop",
                        spec.fit() == ThumbnailSpec.Fit.COVER ? "centre" : "none", "-o", output + "[compression=1]");
                default -> List.of(tool.path().toString(), input.toString(), output.toString());
            };
            if (run(command) && Files.isRegularFile(output) && Files.size(output) > 0) {
                return Optional.of(output);
            }
            Files.deleteIfExists(output);
        }
        return Optional.empty();
    }

    private static boolean run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Optional<Path> find(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Whether libvips was built with libheif (Debian's is; a minimal build is not). */
    private static boolean vipsLoadsHeif(Path vipsthumbnail) {
        Path vips = vipsthumbnail.resolveSibling("vips");
        if (!Files.isExecutable(vips)) {
            return false;
        }
        try {
            Process process = new ProcessBuilder(vips.toString(), "-l", "foreign").redirectErrorStream(true).start();
            String listing = new String(process.getInputStream().readAllBytes());
            return process.waitFor(10, TimeUnit.SECONDS) && listing.contains("heifload");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
