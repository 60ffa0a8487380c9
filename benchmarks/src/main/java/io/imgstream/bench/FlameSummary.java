package io.imgstream.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A JFR recording of a function under load, summarised as a flame graph would be read: the frames that hold the most
 * execution samples on top (self) and anywhere in the stack (inclusive), as shares of all samples of the recording.
 * The recording is taken with {@code jcmd <pid> JFR.start … settings=profile} (10 ms Java samples; 20 ms native), only
 * while the load runs.
 */
final class FlameSummary {

    private FlameSummary() {
    }

    static void start(Process process) throws IOException, InterruptedException {
        jcmd(process, "JFR.start", "name=bench", "settings=profile");
    }

    static Path stop(Process process, String name) throws IOException, InterruptedException {
        Path file = io.imgstream.dev.Scratch.file("bench-" + name, ".jfr");
        jcmd(process, "JFR.stop", "name=bench", "filename=" + file);
        return file;
    }

    private static void jcmd(Process process, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid())));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", args) + " failed: " + out);
        }
    }

    /** Prints the {@code top} frames by self and by inclusive share of the execution samples. */
    static void print(Path recording, String title, int top) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace stack = e.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = stack.getFrames();
            self.merge(name(frames.get(0)), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (seen.add(n)) {
                    inclusive.merge(n, 1, Integer::sum);
                }
            }
        }
        int total = samples;
        System.out.printf("%n%s: %,d execution samples (JFR, settings=profile)%n", title, total);
        System.out.println("top frames by self time (the top of the stack):");
        self.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(en -> System.out.printf("  %5.1f %%  %s%n", 100.0 * en.getValue() / total, en.getKey()));
        System.out.println("top frames by inclusive time (anywhere in the stack), the invoker's and Jetty's dispatch left out:");
        inclusive.entrySet().stream().filter(en -> !en.getKey().startsWith("java.") && !en.getKey().startsWith("org.eclipse.jetty.")
                        && !en.getKey().startsWith("jdk.") && !en.getKey().startsWith("sun."))
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(en -> System.out.printf("  %5.1f %%  %s%n", 100.0 * en.getValue() / total, en.getKey()));
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
