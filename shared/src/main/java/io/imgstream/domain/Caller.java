package io.imgstream.domain;

import java.util.UUID;

/** The authenticated user of a request and the key they used. */
public record Caller(UUID userId, UUID keyId) {

    /** The request attribute under which the API key filter leaves the caller. */
    public static final String ATTRIBUTE = "imgstream.caller";
}
