package io.imgstream.local;

import io.imgstream.dev.EmbeddedPostgresServer;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Cloud Run replaces a crashed instance, and Cloud SQL a crashed server; the emulator does the same for its function
 * processes and its embedded PostgreSQL. Every half second it looks at each process: one that exited (not merely
 * stopped) is started again on its port, with a log line and a back-off that doubles from 0.5 s to 30 s while it keeps
 * dying, reset once it has stayed up for 5 s (a process that crash-loops dies within its start).
 */
final class Supervisor {

    static final Duration CHECK_EVERY = Duration.ofMillis(500);
    static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    static final Duration STABLE_AFTER = Duration.ofSeconds(5);
    private static final PrintStream OUT = System.out;

    private final LocalEmulator emulator;
    private final ScheduledExecutorService timer;
    private final Backoff database = new Backoff("PostgreSQL");
    private final List<Backoff> functions;

    private Supervisor(LocalEmulator emulator, ScheduledExecutorService timer) {
        this.emulator = emulator;
        this.timer = timer;
        this.functions = LocalEmulator.functions(0).stream().map(f -> new Backoff("the " + f.key() + " function")).toList();
    }

    static Supervisor start(LocalEmulator emulator) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "supervisor");
            t.setDaemon(true);
            return t;
        });
        Supervisor supervisor = new Supervisor(emulator, timer);
        timer.scheduleWithFixedDelay(supervisor::check, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return supervisor;
    }

    void stop() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(60, TimeUnit.SECONDS); // a restart under way finishes before stop tears down
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void check() {
        try {
            EmbeddedPostgresServer postgres = emulator.postgres();
            if (postgres != null) {
                if (postgres.alive()) {
                    postgres.watch();
                    database.up();
                } else if (database.due("exited")) {
                    restart(database, () -> {
                        postgres.restart();
                        OUT.println("imgstream: PostgreSQL restarted on port " + postgres.port() + " (" + postgres.durability()
                                + "); crash recovery replayed every acknowledged commit");
                    });
                }
            }
            for (int i = 0; i < functions.size(); i++) {
                Process process = emulator.child(i);
                Backoff backoff = functions.get(i);
                if (process.isAlive()) {
                    backoff.up();
                } else if (backoff.due("exited with " + process.exitValue())) {
                    int index = i;
                    restart(backoff, () -> emulator.respawn(index));
                }
            }
        } catch (RuntimeException e) {
            System.err.println("imgstream: supervisor: " + e);
        }
    }

    private void restart(Backoff backoff, Action action) {
        if (emulator.stopping()) {
            return;
        }
        try {
            action.run();
        } catch (Exception e) {
            System.err.println("imgstream: could not restart " + backoff.name + ": " + e.getMessage()
                    + "; next try in " + backoff.delay.toSeconds() + " s");
        }
    }

    private interface Action {
        void run() throws Exception;
    }

    /** When a crashed process may be started again. */
    private static final class Backoff {
        private final String name;
        private Duration delay = FIRST_BACKOFF;
        private long downSince = -1;
        private long upSince = System.nanoTime();
        private long nextTry;

        Backoff(String name) {
            this.name = name;
        }

        void up() {
            downSince = -1;
            if (delay.compareTo(FIRST_BACKOFF) > 0 && System.nanoTime() - upSince > STABLE_AFTER.toNanos()) {
                delay = FIRST_BACKOFF;
            }
        }

        /** Whether to try now; the first call after a crash logs it and waits out the current delay. */
        boolean due(String how) {
            long now = System.nanoTime();
            if (downSince < 0) {
                downSince = now;
                nextTry = now + delay.toNanos();
                OUT.println("imgstream: " + name + " " + how + "; restarting it in " + delay.toMillis() / 1000.0 + " s");
                return false;
            }
            if (now < nextTry) {
                return false;
            }
            // this try; if the process dies again (or the start fails) the next waits twice as long
            upSince = now;
            downSince = -1;
            Duration tried = delay;
            delay = tried.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : tried.multipliedBy(2);
            return true;
        }
    }
}
