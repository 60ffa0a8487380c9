package io.imgstream.bench;

import com.google.cloud.functions.invoker.runner.Invoker;
import io.imgstream.dev.LoopbackInvoker;
import io.imgstream.dev.Scratch;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A function in its own JVM under the Functions Framework invoker, as Cloud Run starts it: launched, timed
 * to its first answers, measured (peak RSS), stopped.
 */
final class FunctionProcess implements AutoCloseable {

    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    final Process process;
    final int port;
    final long startedNanos;

    private FunctionProcess(Process process, int port, long startedNanos) {
        this.process = process;
        this.port = port;
        this.startedNanos = startedNanos;
    }

    static FunctionProcess start(String classpath, String target, List<String> javaOptions, Map<String, String> env)
            throws IOException {
        return start(classpath, target, javaOptions, env, false);
    }

    /**
     * @param onJvmClassPath put the function on the JVM's own class path next to the invoker (as a custom
     *                       entry point would), instead of the invoker's {@code --classpath} loader (as Cloud Run
     *                       functions starts it)
     */
    static FunctionProcess start(String classpath, String target, List<String> javaOptions, Map<String, String> env,
                                 boolean onJvmClassPath) throws IOException {
        int port = freePort();
        // The invoker's servlets on 127.0.0.1 (LoopbackInvoker): the invoker itself binds every interface.
        String runner = codeSource(Invoker.class) + File.pathSeparator + codeSource(LoopbackInvoker.class);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        if (onJvmClassPath) {
            command.addAll(List.of("-cp", runner + File.pathSeparator + classpath, LoopbackInvoker.class.getName()));
        } else {
            command.addAll(List.of("-cp", runner, LoopbackInvoker.class.getName(), "--classpath", classpath));
        }
        command.addAll(List.of("--target", target, "--port", Integer.toString(port)));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Scratch.file("bench-fn", ".log").toFile());
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        return new FunctionProcess(pb.start(), port, t0);
    }

    private static String codeSource(Class<?> type) {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Polls until {@code request} answers a 2xx; returns the seconds since launch. */
    double until(HttpRequest.Builder request, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("function exited with " + process.exitValue());
            }
            try {
                HttpResponse<byte[]> r = CLIENT.send(request.timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() / 100 == 2) {
                    return (System.nanoTime() - startedNanos) / 1e9;
                }
                if (r.statusCode() >= 400 && r.statusCode() != 404 && r.statusCode() != 503) {
                    throw new IllegalStateException("answered " + r.statusCode() + ": " + new String(r.body()));
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("no answer within " + timeout);
    }

    /** Peak resident set size of the process so far, in MB (VmHWM). */
    double peakRssMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    /** CPU time the process has used so far (user + system), in seconds; clock ticks of 1/100 s as on Linux. */
    double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
        // fields after the command name, which is in parentheses and may hold spaces: state is field 3, utime 14, stime 15
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
