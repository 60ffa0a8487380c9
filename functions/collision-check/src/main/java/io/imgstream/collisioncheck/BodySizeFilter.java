package io.imgstream.collisioncheck;

import io.imgstream.domain.ErrorCode;
import io.imgstream.web.ProblemResponses;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

/** Refuses a check body over {@link CollisionCheckController#MAX_BODY_BYTES} from its Content-Length, unread. */
@ServerFilter("/collision-check")
public class BodySizeFilter {

    @RequestFilter
    @Nullable
    public HttpResponse<?> limit(HttpRequest<?> request) {
        if (request.getContentLength() > CollisionCheckController.MAX_BODY_BYTES) {
            return ProblemResponses.of(ErrorCode.PAYLOAD_TOO_LARGE, "A collision check body may hold at most "
                    + CollisionCheckController.MAX_BODY_BYTES + " bytes.", null, request);
        }
        return null;
    }
}
