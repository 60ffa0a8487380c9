package io.imgstream.application;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.imgstream.application.port.Outbox;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Locally, without EVENTS_TOPIC, an event stays in the outbox and the developer is told so in the log. */
class PublishEventsWithoutTopicTest {

    @Test
    void logsThatTheEventStaysInTheOutbox() {
        Logger logger = (Logger) LoggerFactory.getLogger(PublishEvents.class);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        logger.addAppender(captured);
        try {
            UUID eventId = UUID.randomUUID();
            new PublishEvents(null, null).afterCommit(new Outbox.Event(1, eventId, ImageEvents.UPLOADED, "{}")); // no publisher bean: no topic configured
            assertTrue(captured.list.stream().anyMatch(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.INFO)
                    && e.getFormattedMessage().contains(eventId.toString())
                    && e.getFormattedMessage().contains("stays in the outbox")), captured.list::toString);
        } finally {
            logger.detachAppender(captured);
        }
    }
}
