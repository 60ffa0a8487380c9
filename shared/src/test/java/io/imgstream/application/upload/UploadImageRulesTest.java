package io.imgstream.application.upload;

import io.imgstream.application.ImageEvents;
import io.imgstream.application.inmemory.InMemoryPorts;
import io.imgstream.application.port.Outbox;
import io.imgstream.dev.TestImages;
import io.imgstream.domain.Caller;
import io.imgstream.domain.ConflictPolicy;
import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.Image;
import io.imgstream.domain.ImgStreamException;
import io.imgstream.domain.Precondition;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules of {@link UploadImage} on in-memory ports (and real files): collision policies, identical content,
 * preconditions, limits, and an event for every change. The SQL behind the same rules is tested in the adapters'
 * tests and through the functions.
 */
class UploadImageRulesTest {

    private final InMemoryPorts ports = new InMemoryPorts("upload-rules");
    private final UploadImage upload = ports.uploadImage(InMemoryPorts.limits());
    private final Caller caller = new Caller(UUID.randomUUID(), UUID.randomUUID());

    private UploadOutcome put(String name, byte[] bytes, ConflictPolicy policy) {
        return put(name, bytes, policy, Precondition.NONE);
    }

    private UploadOutcome put(String name, byte[] bytes, ConflictPolicy policy, Precondition precondition) {
        return upload.upload(new UploadCommand(caller, name, new ByteArrayInputStream(bytes), bytes.length, policy,
                precondition));
    }

    private ErrorCode refusal(String name, byte[] bytes, ConflictPolicy policy) {
        return assertThrows(ImgStreamException.class, () -> put(name, bytes, policy)).code();
    }

    private List<String> eventTypes() {
        return ports.topic.published().stream().map(Outbox.Event::type).toList();
    }

    /** Nothing half-done is left: no intent, every object belongs to a row (live, or a retired version). */
    private void assertNoDebris() {
        assertTrue(ports.catalog.pendingObjects().isEmpty(), () -> "intents left: " + ports.catalog.pendingObjects());
        assertEquals(ports.catalog.allImages().size() + ports.catalog.retiredObjects().size(), ports.storedObjects());
    }

    @Test
    void aNewNameIsStoredAndItsUploadedEventPublished() {
        UploadOutcome outcome = put("a.png", TestImages.png(1), ConflictPolicy.REJECT);

        assertTrue(outcome.created());
        assertEquals("a.png", outcome.image().filename());
        assertEquals(1, outcome.image().version());
        assertTrue(ports.storage.stat(outcome.image().objectName()).isPresent());
        assertEquals(List.of(ImageEvents.UPLOADED), eventTypes());
        Outbox.Event event = ports.topic.published().get(0);
        assertTrue(event.payloadJson().contains("\"eventId\":\"" + event.eventId() + "\""), event.payloadJson());
        assertTrue(event.payloadJson().contains("\"id\":\"" + outcome.image().id() + "\""), event.payloadJson());
        assertEquals(0, ports.outbox.unsentCount());
        assertNoDebris();
    }

    @Test
    void rejectsSecondUploadOfSameNameUnderRejectPolicy() {
        Image first = put("a.png", TestImages.png(1), ConflictPolicy.REJECT).image();
        ImgStreamException conflict = assertThrows(ImgStreamException.class,
                () -> put("A.PNG", TestImages.png(2), ConflictPolicy.REJECT));

        assertEquals(ErrorCode.FILENAME_CONFLICT, conflict.code());
        assertEquals(List.of(first), ports.catalog.allImages());
        assertEquals(List.of(ImageEvents.UPLOADED), eventTypes());
        assertNoDebris();
    }

    @Test
    void overwriteReplacesTheImageAsItsNextVersionAndRetiresTheOldBytes() {
        Image first = put("a.png", TestImages.png(1), ConflictPolicy.REJECT).image();
        ports.clock.advance(Duration.ofSeconds(1));
        UploadOutcome second = put("a.png", TestImages.png(2), ConflictPolicy.OVERWRITE);

        assertFalse(second.created());
        assertEquals(first.id(), second.image().id());
        assertEquals(2, second.image().version());
        assertNotEquals(first.objectName(), second.image().objectName());
        assertEquals(java.util.Set.of(first.objectName()), ports.catalog.retiredObjects());
        assertEquals(List.of(ImageEvents.UPLOADED, ImageEvents.REPLACED), eventTypes());
        assertTrue(ports.topic.published().get(1).payloadJson().contains("\"version\":2"));
        assertNoDebris();
    }

    @Test
    void renameStoresTheFirstFreeCopyName() {
        put("a.png", TestImages.png(1), ConflictPolicy.REJECT);
        put("a (1).png", TestImages.png(2), ConflictPolicy.REJECT);
        UploadOutcome renamed = put("a.png", TestImages.png(3), ConflictPolicy.RENAME);

        assertTrue(renamed.created());
        assertEquals("a (2).png", renamed.image().filename());
        assertEquals(3, ports.catalog.liveImages(caller.userId()).size());
        assertEquals(List.of(ImageEvents.UPLOADED, ImageEvents.UPLOADED, ImageEvents.UPLOADED), eventTypes());
        assertNoDebris();
    }

    @Test
    void skipKeepsTheExistingImageAndStoresNothing() {
        Image first = put("a.png", TestImages.png(1), ConflictPolicy.REJECT).image();
        UploadOutcome skipped = put("a.png", TestImages.png(2), ConflictPolicy.SKIP);

        assertFalse(skipped.created());
        assertEquals(first, skipped.image());
        assertEquals(List.of(ImageEvents.UPLOADED), eventTypes());
        assertNoDebris();
    }

    @Test
    void identicalContentUnderTheSameNameIsNoChangeUnderEveryPolicy() {
        byte[] png = TestImages.png(1);
        Image first = put("a.png", png, ConflictPolicy.REJECT).image();
        for (ConflictPolicy policy : ConflictPolicy.values()) {
            UploadOutcome again = put("a.png", png, policy);
            assertFalse(again.created(), policy.toString());
            assertEquals(first, again.image(), policy.toString());
        }
        assertEquals(List.of(ImageEvents.UPLOADED), eventTypes());
        assertNoDebris();
    }

    @Test
    void theSameContentUnderAnotherNameIsStoredAndNamesItsCopy() {
        UUID first = put("a.png", TestImages.png(1), ConflictPolicy.REJECT).image().id();
        UploadOutcome copy = put("b.png", TestImages.png(1), ConflictPolicy.REJECT);
        assertEquals(List.of(true, List.of(first)), List.of(copy.created(), copy.sameContentAs()));
    }

    @Test
    void ifMatchOnANameNoImageHoldsIs412AndStoresNothing() {
        ImgStreamException e = assertThrows(ImgStreamException.class, () -> put("a.png", TestImages.png(1),
                ConflictPolicy.OVERWRITE, new Precondition(List.of("*"), null, null)));

        assertEquals(ErrorCode.PRECONDITION_FAILED, e.code());
        assertTrue(ports.catalog.allImages().isEmpty());
        assertTrue(eventTypes().isEmpty());
        assertNoDebris();
    }

    @Test
    void ifMatchNamingAnOlderVersionIs412AndChangesNothing() {
        Image first = put("a.png", TestImages.png(1), ConflictPolicy.REJECT).image();
        Image second = put("a.png", TestImages.png(2), ConflictPolicy.OVERWRITE).image();
        ImgStreamException e = assertThrows(ImgStreamException.class, () -> put("a.png", TestImages.png(3),
                ConflictPolicy.OVERWRITE, new Precondition(List.of(first.etag()), null, null)));

        assertEquals(ErrorCode.PRECONDITION_FAILED, e.code());
        assertEquals(List.of(second), ports.catalog.allImages());
        assertEquals(List.of(ImageEvents.UPLOADED, ImageEvents.REPLACED), eventTypes());

        Image third = put("a.png", TestImages.png(3), ConflictPolicy.OVERWRITE,
                new Precondition(List.of(second.etag()), null, null)).image();
        assertEquals(3, third.version());
        assertNoDebris();
    }

    @Test
    void refusedBodiesStoreNothing() {
        assertEquals(ErrorCode.EMPTY_FILE, refusal("a.png", new byte[0], ConflictPolicy.REJECT));
        assertEquals(ErrorCode.UNSUPPORTED_MEDIA_TYPE, refusal("a.png", TestImages.TEXT, ConflictPolicy.REJECT));
        assertEquals(ErrorCode.UNSUPPORTED_MEDIA_TYPE, refusal("a.svg", TestImages.SVG, ConflictPolicy.REJECT));
        assertEquals(ErrorCode.IMAGE_TOO_LARGE, refusal("a.png", TestImages.pngHeader(20_000, 20_000),
                ConflictPolicy.REJECT));
        assertTrue(ports.catalog.allImages().isEmpty());
        assertTrue(eventTypes().isEmpty());
        assertNoDebris();
    }

    @Test
    void aBodyOverTheLimitIsRefusedWhetherDeclaredOrNot() {
        byte[] png = TestImages.pngOfSize(4096, 1);
        UploadImage small = ports.uploadImage(InMemoryPorts.limits(1024));
        ErrorCode declared = assertThrows(ImgStreamException.class, () -> small.upload(new UploadCommand(caller, "a.png",
                new ByteArrayInputStream(png), png.length, ConflictPolicy.REJECT))).code();
        ErrorCode undeclared = assertThrows(ImgStreamException.class, () -> small.upload(new UploadCommand(caller,
                "a.png", new ByteArrayInputStream(png), -1, ConflictPolicy.REJECT))).code();

        assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, declared);
        assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, undeclared);
        assertTrue(ports.catalog.allImages().isEmpty());
        assertNoDebris();
    }

    @Test
    void anInvalidNameIsRefusedBeforeAnyByteIsStored() {
        assertEquals(ErrorCode.INVALID_FILENAME, refusal("../a.png", TestImages.png(1), ConflictPolicy.REJECT));
        assertEquals(0, ports.storedObjects());
    }

    @Test
    void withPubSubDownTheUploadSucceedsAndItsEventWaitsInTheOutbox() {
        ports.topic.down(true);
        UploadOutcome outcome = put("a.png", TestImages.png(1), ConflictPolicy.REJECT);

        assertTrue(outcome.created());
        assertEquals(1, ports.outbox.unsentCount());
        assertEquals(1, ports.outbox.rows().get(0).attempts());
        assertTrue(ports.outbox.rows().get(0).lastError().contains("Pub/Sub is down"));
        assertTrue(eventTypes().isEmpty());
    }
}
