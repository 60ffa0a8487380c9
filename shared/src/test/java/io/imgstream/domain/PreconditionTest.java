package io.imgstream.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreconditionTest {

    private static final Instant MODIFIED = Instant.parse("2026-12-02T10:00:00.750Z");
    private static final Image IMAGE = new Image(UUID.randomUUID(), UUID.randomUUID(), "a.png", "a.png", "image/png", 10,
            new byte[32], 1, 1, null, null, 3, MODIFIED, MODIFIED, "o");
    private static final String ETAG = IMAGE.etag();

    @Test
    void ifMatchComparesStronglyAndStarMatchesAnyCurrentImage() {
        assertTrue(new Precondition(List.of("\"x\"", ETAG), null, null).allowsChangeOf(IMAGE));
        assertFalse(new Precondition(List.of("W/" + ETAG), null, null).allowsChangeOf(IMAGE));
        assertFalse(new Precondition(List.of(ETAG.replace("-3", "-2")), null, null).allowsChangeOf(IMAGE));
        assertTrue(new Precondition(List.of("*"), null, null).allowsChangeOf(IMAGE));
        assertFalse(new Precondition(List.of("*"), null, null).allowsChangeOf(null));
    }

    @Test
    void ifUnmodifiedSinceHoldsAtSecondPrecisionAndYieldsToIfMatch() {
        Instant sameSecond = Instant.parse("2026-12-02T10:00:00Z");
        assertTrue(new Precondition(null, sameSecond, null).allowsChangeOf(IMAGE));
        assertFalse(new Precondition(null, sameSecond.minusSeconds(1), null).allowsChangeOf(IMAGE));
        assertTrue(new Precondition(List.of(ETAG), sameSecond.minusSeconds(1), null).allowsChangeOf(IMAGE));
        assertTrue(new Precondition(null, sameSecond.minusSeconds(1), null).allowsChangeOf(null));
    }

    @Test
    void ifNoneMatchStarMakesAChangeCreateOnly() {
        Precondition createOnly = new Precondition(null, null, List.of("*"));
        assertTrue(createOnly.allowsChangeOf(null));
        assertFalse(createOnly.allowsChangeOf(IMAGE));
        assertFalse(new Precondition(null, null, List.of("W/" + ETAG)).allowsChangeOf(IMAGE));
        assertTrue(new Precondition(null, null, List.of("\"other\"")).allowsChangeOf(IMAGE));
    }

    @Test
    void eitherTheContentsOrTheMetadatasEtagNamesTheVersion() {
        ImageDetails withCopies = new ImageDetails(IMAGE, List.of(UUID.randomUUID()));
        assertNotEquals(IMAGE.etag(), withCopies.etag());
        assertTrue(new Precondition(List.of(withCopies.etag()), null, null).allowsChangeOf(IMAGE));
        assertFalse(new Precondition(null, null, List.of(withCopies.etag())).allowsChangeOf(IMAGE));
        Image version31 = new Image(IMAGE.id(), IMAGE.userId(), "a.png", "a.png", "image/png", 10, new byte[32], 1, 1,
                null, null, 31, MODIFIED, MODIFIED, "o");
        assertFalse(new Precondition(List.of(IMAGE.etag()), null, null).allowsChangeOf(version31));
        assertFalse(new Precondition(List.of(withCopies.etag()), null, null).allowsChangeOf(version31));
    }

    @Test
    void aReadIsNotModifiedWhenIfNoneMatchNamesItsRepresentation() {
        assertTrue(new Precondition(null, null, List.of("\"x\"", "W/" + ETAG)).notModified(ETAG));
        assertTrue(new Precondition(null, null, List.of("*")).notModified(ETAG));
        assertFalse(new Precondition(null, null, List.of("\"x\"")).notModified(ETAG));
        assertFalse(Precondition.NONE.notModified(ETAG));
    }

    @Test
    void noConditionAllowsEverything() {
        assertTrue(Precondition.NONE.isNone());
        assertTrue(Precondition.NONE.allowsChangeOf(IMAGE));
        assertTrue(Precondition.NONE.allowsChangeOf(null));
        assertTrue(Precondition.NONE.allowsRead(ETAG, MODIFIED));
    }
}
