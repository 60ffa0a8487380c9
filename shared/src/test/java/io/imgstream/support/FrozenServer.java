package io.imgstream.support;

import io.imgstream.dev.EmbeddedPostgresServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real PostgreSQL hung as a frozen VM or a network partition looks: SIGSTOP of the postmaster and every child (each
 * PostgreSQL child leads a process group of its own, so a signal to the postmaster's group would stop it alone);
 * {@link #close()} resumes them. Connections stay open and nothing answers.
 */
public final class FrozenServer implements AutoCloseable {

    private final List<String> pids;

    private FrozenServer(List<String> pids) {
        this.pids = pids;
    }

    public static FrozenServer freeze(EmbeddedPostgresServer server) {
        ProcessHandle postmaster = ProcessHandle.of(server.pid().orElseThrow()).orElseThrow();
        signal("STOP", List.of(Long.toString(postmaster.pid())));
        // Listed after the postmaster stopped, so no backend forked meanwhile keeps serving through the "hang".
        List<String> pids = new ArrayList<>(Stream.concat(Stream.of(postmaster), postmaster.descendants())
                .map(p -> Long.toString(p.pid())).toList());
        signal("STOP", pids);
        return new FrozenServer(pids);
    }

    /** Resumes every process it stopped; idempotent. */
    @Override
    public synchronized void close() {
        signal("CONT", pids);
        pids.clear();
    }

    private static void signal(String signal, List<String> pids) {
        if (pids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal, "--"));
        command.addAll(pids);
        try {
            // a backend that exited meanwhile needs no signal (kill then exits 1, having signalled the others)
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
