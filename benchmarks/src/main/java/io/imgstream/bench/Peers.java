package io.imgstream.bench;

import io.imgstream.dev.Scratch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The peer frameworks' hellos under {@code benchmarks/peers/}: standalone Maven projects (their own parents and BOMs,
 * outside the product's reactor) built here with Maven, so that each is measured as its own users would build it. A
 * peer whose build fails — a module not served by Maven Central, say — is reported with Maven's reason, never dropped.
 */
final class Peers {

    /** A peer's built artifact (the invoker's {@code --classpath}) or why there is none. */
    record Build(String classpath, String unavailable) {
        boolean available() {
            return unavailable == null;
        }
    }

    private Peers() {
    }

    /**
     * @param project  the peer's directory under {@code benchmarks/peers}
     * @param artifact the deployable jar its build writes, relative to the project
     */
    static Build build(Path root, String project, String artifact) throws IOException, InterruptedException {
        Path dir = root.resolve("benchmarks/peers").resolve(project);
        Path log = Scratch.file("bench-peer-" + project, ".log");
        List<String> command = new ArrayList<>(List.of(maven(), "-B", "-q", "-DskipTests", "-f", dir.resolve("pom.xml").toString(),
                "package"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            return new Build(null, "its Maven build did not finish within 10 minutes");
        }
        Path jar = dir.resolve(artifact);
        if (p.exitValue() == 0 && Files.isRegularFile(jar)) {
            return new Build(jar.toString(), null);
        }
        return new Build(null, reason(Files.readAllLines(log)).orElse("its Maven build failed (exit " + p.exitValue() + ")"));
    }

    /** Maven's first error line, shortened to the part that names the missing piece. */
    static Optional<String> reason(List<String> lines) {
        return lines.stream().map(l -> l.replaceAll("\u001B\\[[;\\d]*m", "")).filter(l -> l.startsWith("[ERROR]"))
                .map(l -> l.substring("[ERROR]".length()).trim()).filter(l -> !l.isEmpty()).findFirst()
                .map(l -> {
                    int at = l.indexOf(": ", l.indexOf("Could not resolve dependencies"));
                    String s = (at > 0 && l.contains("Could not resolve dependencies") ? l.substring(at + 2) : l)
                            .replaceAll("https?://\\S+", "the remote repository");
                    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
                });
    }

    private static String maven() {
        String home = System.getenv("MAVEN_HOME");
        return home != null && Files.isExecutable(Path.of(home, "bin", "mvn")) ? Path.of(home, "bin", "mvn").toString() : "mvn";
    }
}
