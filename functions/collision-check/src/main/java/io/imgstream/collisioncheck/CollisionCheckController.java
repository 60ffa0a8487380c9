package io.imgstream.collisioncheck;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.imgstream.application.collisioncheck.CheckCollisions;
import io.imgstream.application.port.CollisionLookup;
import io.imgstream.domain.Caller;
import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.ImgStreamException;
import io.imgstream.web.ImageView;
import io.imgstream.web.QueryString;
import io.imgstream.web.RequestBodies;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.serde.annotation.Serdeable;
import io.imgstream.web.ApiProblems;
import io.imgstream.web.KeyedApi;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /collision-check}: what uploading each file of a batch would meet, by name and by content;
 * {@code GET /collision-check/stats}: the caller's monitoring figures. Thin: body → {@link CheckCollisions}.
 */
@Controller("/collision-check")
@KeyedApi
@Tag(name = "collision-check")
public class CollisionCheckController {

    /** Bodies above this are refused: from their Content-Length before reading, else once this much was read. */
    static final long MAX_BODY_BYTES = 4L * 1024 * 1024;

    private final CheckCollisions check;

    public CollisionCheckController(CheckCollisions check) {
        this.check = check;
    }

    /** One answer. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "CollisionCheckResult", description = "What uploading one item would meet; existing: the live "
            + "image holding the name")
    public record ResultView(@Schema(nullable = true) String filename,
                             @Schema(allowableValues = {"available", "exists", "identical", "invalid", "duplicate_in_request"})
                             String status,
                             @Schema(type = "object") // OpenAPI 3.0: nullable needs a type beside it
                             @Nullable ImageView existing,
                             @Schema(description = "The name rename would pick now", nullable = true) @Nullable String suggestedName,
                             @Schema(description = "The caller's images holding the given sha256 under other names")
                             List<UUID> sameContentAs,
                             @Schema(description = "Why an item is invalid", nullable = true) @Nullable String reason) {
    }

    /** The answer, in request order. */
    @Serdeable
    @Schema(name = "CollisionCheckResponse")
    public record CheckResponse(List<ResultView> results) {
    }

    /** Monitoring of the caller's checks. */
    @Serdeable
    @Schema(name = "CollisionStats", description = "counts: checked items by status")
    public record StatsView(Instant since, long windowHours, long checks, long items, Map<String, Long> counts,
                            double averageDetectionMicros) {
    }

    /** The body is read here, bounded (a chunked body declares no length), then parsed: {@link CollisionCheckRequest}. */
    @Operation(operationId = "checkCollisions", summary = "What uploading each file of a batch would meet, by name and by content",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = "application/json", schema = @Schema(implementation = CollisionCheckApi.CheckRequest.class))))
    @ApiResponse(responseCode = "200", description = "One result per item, in request order",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = CheckResponse.class)))
    @ApiResponse(responseCode = "400", description = "malformed_json or a body of another shape",
            content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.CheckCollisions.class)))
    @ApiResponse(responseCode = "413", description = "batch_too_large: more items than COLLISION_DETECTION_BATCH_SIZE; "
            + "payload_too_large: a body over 4 MiB",
            content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.CheckCollisions.class)))
    @ApiResponse(responseCode = "415", description = "Not application/json, or sent with a content coding",
            headers = @Header(name = "Accept-Encoding", description = "identity, when the body came with a content coding",
                    schema = @Schema(type = "string")),
            content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.CheckCollisions.class)))
    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public CheckResponse check(HttpRequest<?> request, @RequestAttribute(Caller.ATTRIBUTE) Caller caller)
            throws IOException {
        byte[] body = RequestBodies.bounded(request, MAX_BODY_BYTES, "A collision check body");
        List<CheckCollisions.Item> items = CollisionCheckRequest.parse(body).items();
        List<ResultView> results = check.check(caller, items).stream()
                .map(r -> new ResultView(r.filename(), r.status().wire(),
                        r.existing() == null ? null : ImageView.of(r.existing()), r.suggestedName(),
                        r.sameContentAs(), r.reason()))
                .toList();
        return new CheckResponse(results);
    }

    @Operation(operationId = "getCollisionStats", summary = "The caller's collision-check figures",
            parameters = @Parameter(name = "hours", in = ParameterIn.QUERY, description = "The window, 1 to 8784",
                    schema = @Schema(type = "integer", minimum = "1", maximum = "8784", defaultValue = "24")))
    @ApiResponse(responseCode = "200", description = "The figures",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = StatsView.class)))
    @ApiResponse(responseCode = "400", description = "invalid_parameter: bad hours",
            content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.CollisionStats.class)))
    @Get("/stats")
    public StatsView stats(HttpRequest<?> request, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        long hours = QueryString.single(request, "hours").map(CollisionCheckController::hours).orElse(24L);
        CollisionLookup.Stats stats = check.stats(caller, Duration.ofHours(hours));
        return new StatsView(Instant.now().minus(Duration.ofHours(hours)), hours, stats.checks(), stats.items(),
                stats.countsByStatus(), stats.averageDetectionMicros());
    }

    private static long hours(String value) {
        try {
            long h = Long.parseLong(value.trim());
            if (h >= 1 && h <= 24 * 366) {
                return h;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new ImgStreamException(ErrorCode.INVALID_PARAMETER, "hours must be an integer from 1 to 8784.");
    }
}
