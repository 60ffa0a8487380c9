package io.imgstream.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.imgstream.domain.ErrorCode;
import io.imgstream.json.JsonStrings;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * An RFC 9457 problem detail with the stable machine {@code code} clients switch on.
 *
 * @param existing the conflicting image of a {@code filename_conflict}, else absent
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "RFC 9457 problem details with a stable machine code; each operation lists the codes it answers.")
public record Problem(@Schema(format = "uri") String type, String title, int status, String detail,
                      @Schema(description = "Stable machine code clients switch on") String code,
                      @Schema(description = "The request path") @Nullable String instance,
                      @Schema(description = "The image holding the name, for filename_conflict", implementation = ImageView.class,
                              nullable = false) // NON_NULL: absent, never null
                      @Nullable Object existing) {

    public static final String MEDIA_TYPE = "application/problem+json";
    static final String TYPE_PREFIX = "https://imgstream.dev/problems/";

    public static Problem of(ErrorCode code, String detail, @Nullable String instance, @Nullable Object existing) {
        return new Problem(TYPE_PREFIX + code.code(), code.title(), code.status(), detail, code.code(), instance, existing);
    }

    public static Problem of(ErrorCode code, String detail) {
        return of(code, detail, null, null);
    }

    /**
     * The problem's JSON without Micronaut's serializer, for answers given where no application context serves the
     * request: before Micronaut sees it ({@link ImgStreamHttpFunction}) or in the emulator's cleanup front.
     */
    public static String json(ErrorCode code, String detail) {
        StringBuilder json = new StringBuilder(256).append("{\"type\":");
        JsonStrings.quote(json, TYPE_PREFIX + code.code());
        json.append(",\"title\":");
        JsonStrings.quote(json, code.title());
        json.append(",\"status\":").append(code.status()).append(",\"detail\":");
        JsonStrings.quote(json, detail);
        json.append(",\"code\":");
        JsonStrings.quote(json, code.code());
        return json.append('}').toString();
    }
}
