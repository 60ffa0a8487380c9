package io.imgstream.bench;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import io.imgstream.application.AuthenticateCaller;
import io.imgstream.application.fetch.FetchImages;
import io.imgstream.domain.Caller;
import io.imgstream.domain.ImageDetails;
import io.imgstream.web.ImageView;
import io.micronaut.context.ApplicationContext;
import io.micronaut.serde.ObjectMapper;

/**
 * A reference point for the fetch benchmark, not a product path: {@code GET /images/{id}} doing the fetch function's
 * own work — the same {@link AuthenticateCaller} (key check, key query), the same {@link FetchImages#describe} (row
 * query), the same serde encoding of {@link ImageView} — straight from a bare Functions Framework function, without
 * Micronaut's HTTP pipeline (servlet adapter, routing, filters, binding). Run from the fetch function's jar, so
 * driver, pool and beans are the deployed ones. The gap between it and the bare hello is what the database work
 * costs on this machine; the gap between the function and it is what the HTTP framework costs.
 */
public class FetchFloorFunction implements HttpFunction {

    private static final String PREFIX = "/images/";

    private final ApplicationContext context = ApplicationContext.run();
    private final AuthenticateCaller authenticate = context.getBean(AuthenticateCaller.class);
    private final FetchImages fetch = context.getBean(FetchImages.class);
    private final ObjectMapper json = context.getBean(ObjectMapper.class);

    @Override
    public void service(HttpRequest request, HttpResponse response) throws Exception {
        if (!request.getPath().startsWith(PREFIX)) {
            response.setStatusCode(404);
            return;
        }
        Caller caller = authenticate.authenticate(request.getFirstHeader("Authorization").orElse(null),
                request.getFirstHeader("X-API-Key").orElse(null));
        ImageDetails details = fetch.describe(caller, request.getPath().substring(PREFIX.length()));
        byte[] body = json.writeValueAsBytes(ImageView.of(details));
        response.setContentType("application/json");
        response.appendHeader("Cache-Control", "private, no-cache");
        response.appendHeader("Content-Length", Integer.toString(body.length));
        response.getOutputStream().write(body);
    }
}
