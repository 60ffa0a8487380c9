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

    /** Whether {@code program} is an executable in a directory of PATH. */
    public static boolean onPath(String program) {
        return Arrays.stream(System.getenv("PATH").split(File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }

    /** Runs {@code command} in {@code directory}, waiting at most {@code seconds} for it to exit once its output ends. */
    public static Result run(Path directory, List<String> command, int seconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, out + " (timed out)");
        }
        return new Result(p.exitValue(), out.trim());
    }
}
