package io.imgstream.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.LayoutBase;

import java.time.Instant;
import java.util.Map;

/**
 * {@code LOG_FORMAT=text}, the emulator's default: one readable line per event — time, level, logger (its simple name),
 * message (a {@link JsonPayload} argument prints as its JSON, so the key fields are on the line), the request's trace,
 * and for a failure its exception and root cause, without the stack trace (set {@code LOG_FORMAT=json} for Cloud
 * Logging's JSON with the whole trace, as deployed).
 */
public final class TextLogLayout extends LayoutBase<ILoggingEvent> {

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(160);
        String time = Instant.ofEpochMilli(event.getTimeStamp()).toString();
        line.append(time, Math.min(11, time.length()), Math.min(23, time.length())).append(' ');
        String severity = CloudLoggingLayout.severity(event.getLevel());
        line.append(severity);
        line.append(" ".repeat(Math.max(1, 8 - severity.length())));
        String logger = event.getLoggerName();
        line.append(logger.substring(logger.lastIndexOf('.') + 1)).append(": ");
        line.append(oneLine(event.getFormattedMessage()));
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append(" — ").append(summary(thrown));
            IThrowableProxy root = thrown;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (root != thrown) {
                line.append("; caused by ").append(summary(root));
            }
        }
        Map<String, String> mdc = event.getMDCPropertyMap();
        String trace = mdc == null ? null : mdc.get("trace");
        if (trace != null) {
            line.append(" [trace ").append(trace).append(']');
        }
        return line.append('\n').toString();
    }

    private static String summary(IThrowableProxy t) {
        String type = t.getClassName().substring(t.getClassName().lastIndexOf('.') + 1);
        return t.getMessage() == null ? type : type + ": " + oneLine(t.getMessage());
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace("\r\n", " ⏎ ").replace('\n', ' ').replace('\r', ' ');
    }
}
