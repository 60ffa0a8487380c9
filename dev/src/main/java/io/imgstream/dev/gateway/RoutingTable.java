package io.imgstream.dev.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The public routing table, {@code terraform/routes.json}: which function serves which method and path. The load
 * balancer's URL map is generated from the same file; this jar carries a copy of it made by the build (a Maven
 * resource pointing at {@code ../terraform}), never a second hand-kept table. First match wins; no match is a 404.
 */
public final class RoutingTable {

    /** Where the build puts the file on the class path. */
    public static final String RESOURCE = "io/imgstream/dev/terraform/routes.json";

    /**
     * One row: {@code function} serves {@code methods} ("*" = any) on {@code path} (exact) or below {@code pathPrefix};
     * with {@code preflight}, only a CORS preflight ({@code OPTIONS} with one of those Access-Control-Request-Method
     * values) matches.
     */
    public record Route(String function, Set<String> methods, Set<String> preflight, String path, String pathPrefix) {

        boolean matches(String method, String requestPath, String requestedMethod) {
            if (!methods.contains("*") && !methods.contains(method)) {
                return false;
            }
            if (!preflight.isEmpty() && (!"OPTIONS".equals(method) || requestedMethod == null
                    || !preflight.contains(requestedMethod.trim().toUpperCase(Locale.ROOT)))) {
                return false;
            }
            return path != null ? path.equals(requestPath) : requestPath.startsWith(pathPrefix);
        }
    }

    private final List<Route> routes;

    private RoutingTable(List<Route> routes) {
        this.routes = routes;
    }

    /** The table this jar was built with. */
    public static RoutingTable load() {
        try (InputStream in = RoutingTable.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path (the build copies terraform/routes.json)");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static RoutingTable parse(String json) {
        Object root = Json.parse(json);
        if (!(root instanceof Map<?, ?> map) || !(map.get("routes") instanceof List<?> rows)) {
            throw new IllegalArgumentException("routes.json: no \"routes\" array");
        }
        List<Route> routes = rows.stream().map(row -> {
            Map<String, Object> r = (Map<String, Object>) row;
            String function = (String) r.get("function");
            String path = (String) r.get("path");
            String prefix = (String) r.get("pathPrefix");
            if (function == null || (path == null) == (prefix == null)) {
                throw new IllegalArgumentException("routes.json: each route names a function and one of path, pathPrefix: " + r);
            }
            return new Route(function, upper((List<Object>) r.get("methods")), upper((List<Object>) r.get("preflight")),
                    path, prefix);
        }).toList();
        return new RoutingTable(routes);
    }

    private static Set<String> upper(List<Object> values) {
        Set<String> set = new LinkedHashSet<>();
        if (values != null) {
            values.forEach(v -> set.add(v.toString().toUpperCase(Locale.ROOT)));
        }
        return Set.copyOf(set);
    }

    public List<Route> routes() {
        return routes;
    }

    /** The functions the table routes to (upload, fetch, collision-check), in table order. */
    public Set<String> functions() {
        Set<String> names = new LinkedHashSet<>();
        routes.forEach(r -> names.add(r.function()));
        return names;
    }

    /**
     * The function serving {@code method} on {@code path} (the path alone, no query), empty when none does.
     *
     * @param requestedMethod the request's Access-Control-Request-Method, or null
     */
    public Optional<String> route(String method, String path, String requestedMethod) {
        String m = method.toUpperCase(Locale.ROOT);
        return routes.stream().filter(r -> r.matches(m, path, requestedMethod)).map(Route::function).findFirst();
    }
}
