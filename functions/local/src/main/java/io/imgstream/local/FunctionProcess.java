package io.imgstream.local;

import io.imgstream.dev.LoopbackInvoker;

import java.io.IOException;

/**
 * The main class of each function's child JVM: the Functions Framework invoker's servlets (the runtime Cloud
 * Run functions uses) on 127.0.0.1 ({@link LoopbackInvoker}), plus a watch on stdin, so that a child whose
 * emulator died, even by SIGKILL, exits instead of holding its port.
 */
public final class FunctionProcess {

    private FunctionProcess() {
    }

    public static void main(String[] args) throws Exception {
        Thread watch = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the emulator never writes; EOF means it is gone
                }
            } catch (IOException ignored) {
                // the pipe broke: the emulator is gone
            }
            Runtime.getRuntime().halt(0);
        }, "parent-watch");
        watch.setDaemon(true);
        watch.start();
        JulToSlf4j.install();
        LoopbackInvoker.main(args);
    }
}
