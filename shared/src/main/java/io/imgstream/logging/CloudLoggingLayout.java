package io.imgstream.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import io.imgstream.json.JsonStrings;

import java.time.Instant;
import java.util.Map;

/**
 * One JSON object per line in Cloud Logging's structured format: {@code severity}, {@code message},
 * {@code time}, the trace of the request ({@code logging.googleapis.com/trace}), the logger, and the fields of any
 * {@link JsonPayload} argument.
 */
public final class CloudLoggingLayout extends LayoutBase<ILoggingEvent> {

    private final String project;

    public CloudLoggingLayout(String project) {
        this.project = project;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder json = new StringBuilder(256);
        json.append("{\"severity\":\"").append(severity(event.getLevel())).append('"');
        json.append(",\"time\":\"").append(Instant.ofEpochMilli(event.getTimeStamp())).append('"');
        String message = event.getFormattedMessage();
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            // Error Reporting reads the stack trace from the message itself.
            message = message + "\n" + ThrowableProxyUtil.asString(thrown);
        }
        json.append(",\"message\":");
        JsonStrings.quote(json, message);
        json.append(",\"logger\":");
        JsonStrings.quote(json, event.getLoggerName());
        Object[] arguments = event.getArgumentArray();
        if (arguments != null) {
            for (Object argument : arguments) {
                if (argument instanceof JsonPayload payload && payload.json().startsWith("{")) {
                    json.append(',');
                    JsonStrings.quote(json, payload.field());
                    json.append(':').append(payload.json());
                }
            }
        }
        Map<String, String> mdc = event.getMDCPropertyMap();
        String trace = mdc == null ? null : mdc.get("trace");
        if (trace != null) {
            json.append(",\"logging.googleapis.com/trace\":");
            JsonStrings.quote(json, project == null || project.isEmpty() ? trace : "projects/" + project + "/traces/" + trace);
        }
        json.append("}\n");
        return json.toString();
    }

    static String severity(Level level) {
        return switch (level.toInt()) {
            case Level.ERROR_INT -> "ERROR";
            case Level.WARN_INT -> "WARNING";
            case Level.INFO_INT -> "INFO";
            default -> "DEBUG";
        };
    }
}
