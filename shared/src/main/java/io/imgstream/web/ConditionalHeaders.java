package io.imgstream.web;

import io.imgstream.domain.Precondition;
import io.micronaut.http.HttpHeaders;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The conditional request headers of RFC 9110 §13.1, read the same way by every function. */
public final class ConditionalHeaders {

    private ConditionalHeaders() {
    }

    /** {@code If-Match}, {@code If-Unmodified-Since} and {@code If-None-Match} of a request. */
    public static Precondition precondition(HttpHeaders headers) {
        String unmodifiedSince = headers.get(HttpHeaders.IF_UNMODIFIED_SINCE);
        return new Precondition(entityTags(headers.get(HttpHeaders.IF_MATCH)),
                unmodifiedSince == null ? null : parseHttpDate(unmodifiedSince),
                entityTags(headers.get(HttpHeaders.IF_NONE_MATCH)));
    }

    /** The entity tags of a list header ({@code "a", W/"b"} or {@code *}), null when the header is absent. */
    static List<String> entityTags(String value) {
        return value == null ? null : Arrays.stream(value.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    /**
     * An HTTP date in any of the three formats RFC 9110 §5.6.7 tells recipients to accept (IMF-fixdate, RFC 850,
     * asctime); null when it is none of them, which makes the condition that holds it false or ignored.
     */
    public static Instant parseHttpDate(String value) {
        String v = value.trim();
        for (DateTimeFormatter format : ACCEPTED_DATES) {
            try {
                return ZonedDateTime.parse(v, format).toInstant();
            } catch (DateTimeParseException e) {
                // try the next format
            }
        }
        return null;
    }

    private static final DateTimeFormatter[] ACCEPTED_DATES = {
            DateTimeFormatter.RFC_1123_DATE_TIME,
            new DateTimeFormatterBuilder().appendPattern("EEEE, dd-MMM-").appendValueReduced(ChronoField.YEAR, 2, 2, 1970)
                    .appendPattern(" HH:mm:ss 'GMT'").toFormatter(Locale.ENGLISH).withZone(ZoneOffset.UTC),
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC)};
}
