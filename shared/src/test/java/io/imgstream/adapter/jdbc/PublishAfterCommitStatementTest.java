package io.imgstream.adapter.jdbc;

import io.imgstream.adapter.storage.FilesystemObjectStorage;
import io.imgstream.application.NameSuggestions;
import io.imgstream.application.PublishEvents;
import io.imgstream.application.inmemory.InMemoryEventPublisher;
import io.imgstream.application.port.Outbox;
import io.imgstream.application.upload.UploadCommand;
import io.imgstream.application.upload.UploadImage;
import io.imgstream.config.UploadLimits;
import io.imgstream.dev.Scratch;
import io.imgstream.dev.TestDatabase;
import io.imgstream.dev.TestImages;
import io.imgstream.domain.Caller;
import io.imgstream.domain.ConflictPolicy;
import io.imgstream.support.CountingDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A change's write returns the event it wrote, so publishing it after the commit costs one statement (marking it
 * sent) and no read of the outbox; the event published is the row as the relay would read it.
 */
class PublishAfterCommitStatementTest {

    private static final UUID USER = UUID.fromString("00000000-0000-0000-0000-0000000e0e01");
    private static final UploadLimits LIMITS = new UploadLimits(1 << 25, 100_000_000);

    @BeforeEach
    void seed() {
        TestDatabase.truncateAll();
        TestDatabase.execute("insert into users (id, name) values ('" + USER + "', 'statements')");
    }

    @Test
    void publishingAfterCommitMarksTheWrittenEventWithoutReadingTheOutbox() {
        CountingDataSource counting = new CountingDataSource(TestDatabase.dataSource());
        JdbcAdapters adapters = new JdbcAdapters(counting.dataSource());
        InMemoryEventPublisher topic = new InMemoryEventPublisher();
        PublishEvents events = new PublishEvents(adapters.outbox(), topic);
        UploadImage upload = new UploadImage(adapters.catalog(), new FilesystemObjectStorage(Scratch.directory("statements")),
                new NameSuggestions(adapters.catalog()), LIMITS, events);
        byte[] png = TestImages.png(7);
        counting.reset();
        upload.upload(new UploadCommand(new Caller(USER, UUID.randomUUID()), "one.png", new ByteArrayInputStream(png),
                png.length, ConflictPolicy.REJECT));
        int uploadStatements = counting.statements();

        assertEquals(1, topic.published().size());
        Outbox.Event published = topic.published().get(0);
        assertEquals(0, TestDatabase.count("select count(*) from event_outbox where published_at is null"));
        assertEquals(1, TestDatabase.count("select count(*) from event_outbox where id = " + published.id()
                + " and event_id = '" + published.eventId() + "' and payload::text = '" + published.payloadJson() + "'"));
        assertTrue(published.payloadJson().contains(published.eventId().toString()), published.payloadJson());

        // read the name, record the intent, insert + forget the intent + write the event, mark it sent, read the copies
        System.out.println("statements for one upload with its event published: " + uploadStatements);
        assertEquals(7, uploadStatements, "statements for one upload");

        counting.reset();
        events.afterCommit(published);
        assertEquals(1, counting.statements(), "statements to publish an event after its commit");
    }
}
