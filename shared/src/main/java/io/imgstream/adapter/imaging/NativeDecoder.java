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
 * {@code heif-dec}/{@code heif-convert}, libavif's {@code avifdec}, ImageMagick ({@code magick} or {@code convert}, when its
 * format list has a reading HEIC or AVIF coder: the only one of these the google-22-full run image carries); each writes
 * a PNG that the Java pipeline then renders. libheif applies the container's rotation and mirror boxes, so the PNG is
 * already upright.
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
        return onPath(Set.of("vipsthumbnail", "heif-dec", "avifdec", "imagemagick"));
    }

    /** Only the named tools ({@code vipsthumbnail}, {@code heif-dec}, {@code avifdec}, {@code imagemagick}): for tests. */
    static NativeDecoder onPath(Set<String> allowed) {
        List<Tool> found = new ArrayList<>();
        find("vipsthumbnail").filter(NativeDecoder::vipsLoadsHeif)
                .ifPresent(p -> found.add(new Tool("vipsthumbnail", p, HEIF_FAMILY)));
        find("heif-dec").or(() -> find("heif-convert"))
                .ifPresent(p -> found.add(new Tool(p.getFileName().toString(), p, HEIF_FAMILY)));
        find("avifdec").ifPresent(p -> found.add(new Tool("avifdec", p, EnumSet.of(ImageFormat.AVIF))));
        find("magick").or(() -> find("convert")).ifPresent(p -> {
            Set<ImageFormat> reads = imageMagickReads(p);
            if (!reads.isEmpty()) {
                found.add(new Tool("imagemagick", p, reads));
            }
        });
        found.removeIf(t -> !allowed.contains(t.program().startsWith("heif-") ? "heif-dec" : t.program()));
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
                // First frame (of a sequence), upright, shrunk (never grown) to what the spec needs; Java crops a cover.
                case "imagemagick" -> List.of(tool.path().toString(), input + "[0]", "-auto-orient", "-thumbnail",
                        spec.size() + "x" + spec.size() + (spec.fit() == ThumbnailSpec.Fit.COVER ? "^>" : ">"),
                        "png:" + output);
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

    /**
     * The HEIF-family formats ImageMagick's coders read, from {@code -list format} (rows such as
     * {@code "     HEIC* HEIC      rw+   Apple High efficiency Image Format (1.15.1)"}); a build without libheif, or a
     * stand-in that only shares the name, lists none.
     */
    static Set<ImageFormat> imageMagickReads(Path program) {
        Set<ImageFormat> reads = EnumSet.noneOf(ImageFormat.class);
        try {
            Process process = new ProcessBuilder(program.toString(), "-list", "format").redirectErrorStream(true).start();
            String listing = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return reads;
            }
            for (String line : listing.split("\n")) {
                String[] cols = line.trim().split("\\s+");
                if (cols.length >= 3 && cols[2].startsWith("r")) {
                    switch (cols[0].replace("*", "")) {
                        case "HEIC" -> reads.addAll(EnumSet.of(ImageFormat.HEIC, ImageFormat.HEIF));
                        case "AVIF" -> reads.add(ImageFormat.AVIF);
                        default -> { }
                    }
                }
            }
        } catch (IOException e) {
            return reads;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return reads;
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
