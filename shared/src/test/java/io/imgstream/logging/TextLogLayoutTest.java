package io.imgstream.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextLogLayoutTest {

    private final LoggerContext context = new LoggerContext();
    private final Logger logger = context.getLogger("io.imgstream.application.cleanup.RunCleanup");

    @Test
    void oneReadableLineWithTimeLevelLoggerMessageAndKeyFields() {
        LoggingEvent event = new LoggingEvent("x", logger, Level.INFO, "cleanup summary {}",
                null, new Object[]{new JsonPayload("cleanup", "{\"ran\":true,\"counts\":{\"orphan_objects\":2}}")});
        event.setTimeStamp(java.time.Instant.parse("2026-12-07T07:54:32.454Z").toEpochMilli());
        event.setMDCPropertyMap(Map.of("trace", "abc123"));
        assertEquals("07:54:32.454 INFO    RunCleanup: cleanup summary {\"ran\":true,\"counts\":{\"orphan_objects\":2}}"
                + " [trace abc123]\n", new TextLogLayout().doLayout(event));
    }

    @Test
    void aFailureStaysOnOneLineWithItsRootCause() {
        Exception failure = new IllegalStateException("upload failed\nsecond line",
                new java.net.SocketTimeoutException("Read timed out"));
        LoggingEvent event = new LoggingEvent("x", logger, Level.ERROR, "POST /images failed: {}", failure,
                new Object[]{"service_unavailable"});
        event.setMDCPropertyMap(Map.of());
        String line = new TextLogLayout().doLayout(event);
        assertEquals(1, line.split("\n", -1).length - 1, line);
        assertTrue(line.contains("ERROR   RunCleanup: POST /images failed: service_unavailable — IllegalStateException:"
                + " upload failed second line; caused by SocketTimeoutException: Read timed out"), line);
    }
}
