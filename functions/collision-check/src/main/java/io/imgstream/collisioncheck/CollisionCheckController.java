package io.imgstream.collisioncheck;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.imgstream.application.collision.CheckCollisions;
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
    public record ResultView(String filename, String status, @Nullable ImageView existing, @Nullable String suggestedName,
                             List<UUID> sameContentAs, @Nullable String reason) {
    }

    /** The answer, in request order. */
    @Serdeable
    public record CheckResponse(List<ResultView> results) {
    }

    /** Monitoring of the caller's checks. */
    @Serdeable
    public record StatsView(Instant since, long windowHours, long checks, long items, Map<String, Long> counts,
                            double averageDetectionMicros) {
    }

    /** The body is read here, bounded (a chunked body declares no length), then parsed: {@link CollisionCheckRequest}. */
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
