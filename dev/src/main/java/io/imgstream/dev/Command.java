package io.imgstream.dev;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A program beside Java that a test drives (Node and npm for tus-js-client and the Terraform schema check): whether it
 * is installed, and one run of it with its output.
 */
public final class Command {

    private Command() {
    }

    /** How a run ended: the exit code (-1 when it timed out) and what it printed on stdout and stderr, trimmed. */
    public record Result(int code, String output) {
    }

    /** Whether {@code program} is an executable in a directory of PATH (false without a PATH). */
    public static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && Arrays.stream(path.split(File.pathSeparator))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, program)));
    }

    /**
     * Runs {@code command} in {@code directory}, waiting at most {@code seconds} for it to exit; past that it and its
     * descendants are killed. The output goes to a file, not a pipe, so the limit holds even while a hung program (or a
     * child it left behind) keeps its output open.
     */
    public static Result run(Path directory, List<String> command, int seconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("imgstream-command", ".log");
        try {
            Process p = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                return new Result(-1, output(log) + " (timed out after " + seconds + " s: " + command + ")");
            }
            return new Result(p.exitValue(), output(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String output(Path log) throws IOException {
        return new String(Files.readAllBytes(log), StandardCharsets.UTF_8).trim();
    }
}
