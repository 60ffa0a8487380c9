package io.imgstream.application.collisioncheck;

import io.imgstream.application.ImageEvents;
import io.imgstream.application.collisioncheck.CheckCollisions.Item;
import io.imgstream.application.collisioncheck.CheckCollisions.Result;
import io.imgstream.application.collisioncheck.CheckCollisions.Status;
import io.imgstream.application.inmemory.InMemoryPorts;
import io.imgstream.domain.Caller;
import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.Filename;
import io.imgstream.domain.Image;
import io.imgstream.domain.ImgStreamException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The answers of {@link CheckCollisions} on in-memory ports: every status, suggestions, copies, limits, monitoring. */
class CheckCollisionsRulesTest {

    private final InMemoryPorts ports = new InMemoryPorts("collision-rules");
    private final Caller caller = new Caller(UUID.randomUUID(), UUID.randomUUID());

    private static byte[] sha(String content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(String content) {
        return HexFormat.of().formatHex(sha(content));
    }

    private Image stored(UUID userId, String name, String content) {
        Filename filename = Filename.parse(name);
        Image image = new Image(UUID.randomUUID(), userId, filename.display(), filename.collisionKey(), "image/png", 1,
                sha(content), 1, 1, 1, null, 1, null, null, "users/" + userId + "/images/" + UUID.randomUUID() + "/v1");
        Image live = ports.catalog.insertLive(image, ImageEvents.uploaded()).orElseThrow().image();
        ports.clock.advance(Duration.ofMillis(1));
        return live;
    }

    private Image stored(String name, String content) {
        return stored(caller.userId(), name, content);
    }

    private List<Result> check(Item... items) {
        return ports.checkCollisions(InMemoryPorts.config()).check(caller, List.of(items));
    }

    @Test
    void aFreeNameIsAvailableUnderItsOwnName() {
        Result r = check(new Item("new.png", hex("new"))).get(0);

        assertEquals(Status.AVAILABLE, r.status());
        assertEquals("new.png", r.suggestedName());
        assertNull(r.existing());
        assertEquals(List.of(), r.sameContentAs());
    }

    /** Other content under a taken name exists (and gets the first free copy name); the same content is identical. */
    @Test
    void aTakenNameExistsUnlessTheContentIsTheSame() {
        Image a = stored("a.png", "a");
        stored("a (1).png", "a1");
        Result other = check(new Item("A.png", hex("other"))).get(0);
        Result same = check(new Item("a.png", hex("a"))).get(0);

        assertEquals(List.of(Status.EXISTS, Status.IDENTICAL), List.of(other.status(), same.status()));
        assertEquals(List.of(a, a), List.of(other.existing().image(), same.existing().image()));
        assertEquals(List.of("A (2).png", "a.png"), List.of(other.suggestedName(), same.suggestedName()));
    }

    @Test
    void withoutAHashATakenNameExists() {
        stored("a.png", "a");
        assertEquals(Status.EXISTS, check(new Item("a.png", null)).get(0).status());
    }

    @Test
    void theSameContentUnderOtherNamesIsListedOldestFirst() {
        Image first = stored("x.png", "same");
        Image second = stored("y.png", "same");
        stored("z.png", "different");
        Result r = check(new Item("new.png", hex("same"))).get(0);

        assertEquals(Status.AVAILABLE, r.status());
        assertEquals(List.of(first.id(), second.id()), r.sameContentAs());
    }

    @Test
    void anExistingImageComesWithItsCopies() {
        Image a = stored("a.png", "same");
        Image copy = stored("b.png", "same");
        Result r = check(new Item("a.png", null)).get(0);

        assertEquals(a, r.existing().image());
        assertEquals(List.of(copy.id()), r.existing().sameContentAs());
    }

    @Test
    void invalidNamesAndHashesAreInvalidWithAReason() {
        List<Result> results = check(new Item("../x.png", null), new Item("ok.png", "not-a-hash"), new Item(null, null));

        for (Result r : results) {
            assertEquals(Status.INVALID, r.status());
            assertTrue(r.reason() != null && !r.reason().isBlank());
        }
        assertEquals("sha256 must be 64 hexadecimal digits.", results.get(1).reason());
    }

    @Test
    void aNameTwiceInOneRequestIsADuplicateAndGetsItsOwnSuggestion() {
        List<Result> results = check(new Item("a.png", null), new Item("A.PNG", null));

        assertEquals(Status.AVAILABLE, results.get(0).status());
        assertEquals("a.png", results.get(0).suggestedName());
        assertEquals(Status.DUPLICATE_IN_REQUEST, results.get(1).status());
        assertEquals("A (1).PNG", results.get(1).suggestedName());
    }

    @Test
    void anotherUsersImagesAreInvisible() {
        stored(UUID.randomUUID(), "a.png", "a");
        Result r = check(new Item("a.png", hex("a"))).get(0);

        assertEquals(Status.AVAILABLE, r.status());
        assertEquals(List.of(), r.sameContentAs());
    }

    @Test
    void anEmptyOrOversizedBatchIsRefused() {
        CheckCollisions small = ports.checkCollisions(InMemoryPorts.config(2, false));
        assertEquals(ErrorCode.BAD_REQUEST,
                assertThrows(ImgStreamException.class, () -> small.check(caller, List.of())).code());
        assertEquals(ErrorCode.BATCH_TOO_LARGE, assertThrows(ImgStreamException.class, () -> small.check(caller,
                Collections.nCopies(3, new Item("a.png", null)))).code());
        assertTrue(ports.collisions.checks().isEmpty());
    }

    @Test
    void withMonitoringEachCheckIsRecordedWithItsCountsAndDetectedNames() {
        stored("a.png", "a");
        CheckCollisions monitored = ports.checkCollisions(InMemoryPorts.config(500, true));
        monitored.check(caller, List.of(new Item("a.png", hex("a")), new Item("b.png", null)));

        assertEquals(1, ports.collisions.checks().size());
        assertEquals(Map.of("identical", 1, "available", 1), ports.collisions.checks().get(0).countsByStatus());
        assertEquals(List.of("a.png"), ports.collisions.checks().get(0).detectedNames());
        assertEquals(2, monitored.stats(caller, Duration.ofHours(1)).items());
    }

    @Test
    void withoutMonitoringNothingIsRecorded() {
        check(new Item("a.png", null));
        assertTrue(ports.collisions.checks().isEmpty());
    }
}
