package io.imgstream.local;

import io.imgstream.logging.CloudLoggingConfigurator;

import java.util.Arrays;

/**
 * {@code imgstream-local-all.jar}: the local function emulator ({@code run}, the default) and the admin CLI
 * ({@code admin …}). The {@code ./imgstream} script at the repository root builds and calls it.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // Readable one-line logs on a developer's console unless LOG_FORMAT says otherwise; set before the first log line.
        if (System.getenv("LOG_FORMAT") == null) {
            System.setProperty(CloudLoggingConfigurator.FORMAT_PROPERTY, "text");
        }
        String command = args.length == 0 ? "run" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "run", "local" -> LocalEmulator.main(rest);
            case "admin" -> {
                // Before anything logs: the CLI's stdout carries only its answers (keys, lists), logs go to stderr.
                System.setProperty(CloudLoggingConfigurator.TARGET_PROPERTY, "stderr");
                System.exit(AdminCli.run(rest, System.getenv(), System.out, System.err));
            }
            case "function" -> FunctionProcess.main(rest);
            case "faults" -> FaultSuite.main(rest);
            default -> {
                System.err.println("usage: imgstream [run | admin <command>]  (admin help lists the commands)");
                System.exit(2);
            }
        }
    }
}
