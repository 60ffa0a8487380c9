package io.imgstream.web;

import io.imgstream.domain.Precondition;
import io.micronaut.http.HttpRequest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConditionalHeadersTest {

    @Test
    void readsTheThreeDateFormatsRecipientsMustAccept() {
        Instant expected = Instant.parse("1994-11-06T08:49:37Z");
        assertEquals(expected, ConditionalHeaders.parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"));
        assertEquals(expected, ConditionalHeaders.parseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT"));
        assertEquals(expected, ConditionalHeaders.parseHttpDate("Sun Nov  6 08:49:37 1994"));
        assertEquals(expected, ConditionalHeaders.parseHttpDate("Sun, 6 Nov 1994 08:49:37 GMT"));
        assertNull(ConditionalHeaders.parseHttpDate("yesterday"));
        assertNull(ConditionalHeaders.parseHttpDate(""));
    }

    @Test
    void readsEveryConditionOfARequestAndNothingWhenNoneIsGiven() {
        Precondition p = ConditionalHeaders.precondition(HttpRequest.DELETE("/images/x")
                .header("If-Match", "\"a-1\", W/\"b-2\" ,")
                .header("If-Unmodified-Since", "Sun, 06 Nov 1994 08:49:37 GMT")
                .header("If-None-Match", "*").getHeaders());
        assertEquals(List.of("\"a-1\"", "W/\"b-2\""), p.ifMatch());
        assertEquals(Instant.parse("1994-11-06T08:49:37Z"), p.ifUnmodifiedSince());
        assertEquals(List.of("*"), p.ifNoneMatch());
        assertTrue(ConditionalHeaders.precondition(HttpRequest.DELETE("/images/x").getHeaders()).isNone());
    }

    @Test
    void anUnreadableUnmodifiedSinceIsIgnored() {
        Precondition p = ConditionalHeaders.precondition(HttpRequest.DELETE("/images/x")
                .header("If-Unmodified-Since", "last tuesday").getHeaders());
        assertTrue(p.isNone());
    }
}
