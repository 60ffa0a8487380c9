package io.imgstream.application;

import io.imgstream.application.port.UserAccounts;
import io.imgstream.domain.ApiKey;
import io.imgstream.domain.Caller;
import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.ImgStreamException;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

/**
 * Finds the caller behind the API key of a request. The key comes from {@code Authorization: Bearer} or
 * {@code X-API-Key}; two different keys are refused, a malformed key never reaches the database.
 */
@Singleton
public class AuthenticateCaller {

    private final UserAccounts accounts;

    public AuthenticateCaller(UserAccounts accounts) {
        this.accounts = accounts;
    }

    /**
     * @param authorization the {@code Authorization} header, if any
     * @param apiKeyHeader  the {@code X-API-Key} header, if any
     * @throws ImgStreamException {@code unauthorized} (401) or {@code conflicting_api_keys} (400)
     */
    public Caller authenticate(@Nullable String authorization, @Nullable String apiKeyHeader) {
        String bearer = null;
        if (authorization != null && !authorization.isBlank()) {
            String trimmed = authorization.trim();
            if (trimmed.length() < 7 || !trimmed.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw unauthorized("The Authorization header must use the Bearer scheme.");
            }
            bearer = trimmed.substring(7).trim();
        }
        String headerKey = apiKeyHeader == null || apiKeyHeader.isBlank() ? null : apiKeyHeader.trim();
        if (bearer != null && headerKey != null && !bearer.equals(headerKey)) {
            throw new ImgStreamException(ErrorCode.CONFLICTING_API_KEYS,
                    "Authorization and X-API-Key carry different keys; send one key.");
        }
        String presented = bearer != null ? bearer : headerKey;
        if (presented == null) {
            throw unauthorized("An API key is required: Authorization: Bearer <key> or X-API-Key: <key>.");
        }
        ApiKey key = ApiKey.parseOrNull(presented);
        if (key == null) {
            throw unauthorized("The API key is malformed.");
        }
        return accounts.findCallerByKeyHash(key.hash())
                .orElseThrow(() -> unauthorized("The API key is unknown or revoked."));
    }

    private static ImgStreamException unauthorized(String detail) {
        return new ImgStreamException(ErrorCode.UNAUTHORIZED, detail);
    }
}
