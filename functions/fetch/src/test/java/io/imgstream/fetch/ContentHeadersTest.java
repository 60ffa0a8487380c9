package io.imgstream.fetch;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContentHeadersTest {

    @Test
    void writesDatesAsImfFixdateWithATwoDigitDay() {
        assertEquals("Tue, 01 Dec 2026 22:03:37 GMT", ContentHeaders.httpDate(Instant.parse("2026-12-01T22:03:37.741Z")));
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", ContentHeaders.httpDate(Instant.parse("1994-11-06T08:49:37Z")));
    }

    @Test
    void anUnreadableDateIsNoConditionAtAll() {
        Instant modified = Instant.parse("2026-12-01T22:03:37Z");
        assertFalse(ContentHeaders.notModifiedSince("not a date", modified));
        assertTrue(ContentHeaders.notModifiedSince("Tue, 01 Dec 2026 22:03:37 GMT", modified));
        assertFalse(ContentHeaders.notModifiedSince("Tue, 01 Dec 2026 22:03:36 GMT", modified));
        assertFalse(ContentHeaders.notModifiedSince("Tue, 01 Dec 2099 00:00:00 GMT", modified), "a date in the future is invalid");
    }
}
