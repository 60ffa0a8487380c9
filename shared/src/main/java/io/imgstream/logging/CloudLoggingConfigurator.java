package io.imgstream.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Configures logback in code, found through {@code ServiceLoader}: no XML to parse on a cold start. Root
 * level from {@code LOG_LEVEL} (default INFO); output to stdout, which Cloud Run sends to Cloud Logging — or to
 * stderr when the system property {@value #TARGET_PROPERTY} is {@code stderr} (the admin CLI, whose stdout
 * carries only its answers, so that {@code KEY=$(imgstream admin keys create …)} captures a key and nothing else).
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class CloudLoggingConfigurator extends ContextAwareBase implements Configurator {

    /** Set to {@code stderr} before the first log line to keep stdout for a command's own output. */
    public static final String TARGET_PROPERTY = "imgstream.log.target";
    /**
     * The format when {@code LOG_FORMAT} is unset: the emulator sets {@code text} for itself (and {@code LOG_FORMAT=text}
     * for its functions); deployed, nothing sets it and the JSON of Cloud Logging is the default.
     */
    public static final String FORMAT_PROPERTY = "imgstream.log.format";

    /**
     * google-api-client warns through java.util.logging, in plain text, on every Storage client it builds
     * ("Application name is not set"); held strongly so the level sticks.
     */
    private static final java.util.logging.Logger GOOGLE_API_CLIENT =
            java.util.logging.Logger.getLogger("com.google.api.client.googleapis.services.AbstractGoogleClient");

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        GOOGLE_API_CLIENT.setLevel(java.util.logging.Level.SEVERE);
        String project = firstNonBlank(System.getenv("GOOGLE_CLOUD_PROJECT"), System.getenv("GCP_PROJECT"));
        ch.qos.logback.core.LayoutBase<ILoggingEvent> layout = text() ? new TextLogLayout() : new CloudLoggingLayout(project);
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("cloud-logging");
        if ("stderr".equals(System.getProperty(TARGET_PROPERTY))) {
            appender.setTarget("System.err");
        }
        appender.setEncoder(encoder);
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        root.setLevel(Level.toLevel(System.getenv("LOG_LEVEL"), Level.INFO));
        // Chatty at INFO, and Flyway's executor prints the whole JDBC URL.
        context.getLogger("org.flywaydb.core.FlywayExecutor").setLevel(Level.WARN);
        context.getLogger("io.zonky.test.db.postgres").setLevel(Level.WARN);
        context.getLogger("com.zaxxer.hikari").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** {@code LOG_FORMAT=text}, or unset with the emulator's property; any other value is JSON (EnvironmentCheck refuses it). */
    static boolean text() {
        String format = firstNonBlank(System.getenv("LOG_FORMAT"), System.getProperty(FORMAT_PROPERTY));
        return format != null && format.trim().equalsIgnoreCase("text");
    }

    private static String firstNonBlank(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }
}
