package io.imgstream.dev;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.TypedFunction;
import com.google.cloud.functions.invoker.BackgroundFunctionExecutor;
import com.google.cloud.functions.invoker.HttpFunctionExecutor;
import com.google.cloud.functions.invoker.TypedFunctionExecutor;
import com.google.cloud.functions.invoker.http.TimeoutFilter;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.HandlerWrapper;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import javax.servlet.DispatcherType;
import javax.servlet.MultipartConfigElement;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Serves a function exactly as the Functions Framework invoker (java-function-invoker 1.4.1) does — its own
 * servlets, request-timeout filter, multipart configuration and class-loader isolation — but listening on
 * 127.0.0.1 only. The invoker's {@code startServer} binds every interface and has no host option; a
 * developer's emulator, the tests and the benchmarks must not expose API endpoints to the network.
 *
 * <p>Used by the local emulator, the function tests and the benchmarks; never by a deployed function (Cloud
 * Run starts the invoker itself). Command line as the invoker's: {@code --target C --port N [--classpath P]}.
 */
public final class LoopbackInvoker implements AutoCloseable {

    /** The loopback address every local server binds. */
    public static final String HOST = "127.0.0.1";

    private static final Set<String> NOT_FOUND_PATHS = Set.of("/favicon.ico", "/robots.txt");

    private final Server server;

    private LoopbackInvoker(Server server) {
        this.server = server;
    }

    public static void main(String[] args) throws Exception {
        String target = null;
        String classpath = System.getenv("FUNCTION_CLASSPATH");
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--target" -> target = args[i + 1];
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--classpath" -> classpath = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (target == null) {
            target = System.getenv("FUNCTION_TARGET");
        }
        if (target == null) {
            throw new IllegalArgumentException("usage: --target <class> [--port <n>] [--classpath <path>]");
        }
        ClassLoader loader = classpath == null ? LoopbackInvoker.class.getClassLoader() : functionClassLoader(classpath);
        LoopbackInvoker invoker = start(port, target, System.getenv("FUNCTION_SIGNATURE_TYPE"), loader);
        System.err.println("Serving function " + target + " on http://" + HOST + ":" + port + "/");
        invoker.server.join();
    }

    /**
     * Starts {@code target} on {@code 127.0.0.1:port}.
     *
     * @param signatureType {@code http}, {@code event}, {@code cloudevent}, {@code typed}, or null to deduce it
     *                      from the class, as the invoker's {@code FUNCTION_SIGNATURE_TYPE}
     */
    public static LoopbackInvoker start(int port, String target, String signatureType, ClassLoader loader)
            throws Exception {
        Server server = new Server(new QueuedThreadPool(1024));
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(HOST);
        connector.setPort(port);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        NotFoundHandler notFound = new NotFoundHandler();
        notFound.setHandler(context);
        server.setHandler(notFound);

        ServletHolder holder = new ServletHolder(servlet(loader.loadClass(target), signatureType));
        holder.getRegistration().setMultipartConfig(new MultipartConfigElement(""));
        context.addServlet(holder, "/*");
        String timeout = System.getenv("CLOUD_RUN_TIMEOUT_SECONDS");
        if (timeout != null) {
            context.addFilter(new FilterHolder(new TimeoutFilter(Integer.parseInt(timeout))), "/*",
                    EnumSet.of(DispatcherType.REQUEST));
        }
        server.start();
        return new LoopbackInvoker(server);
    }

    private static HttpServlet servlet(Class<?> function, String signatureType) {
        if (signatureType == null) {
            if (HttpFunction.class.isAssignableFrom(function)) {
                return HttpFunctionExecutor.forClass(function);
            }
            if (TypedFunction.class.isAssignableFrom(function)) {
                return TypedFunctionExecutor.forClass(function);
            }
            return BackgroundFunctionExecutor.maybeForClass(function).orElseThrow(() -> new IllegalArgumentException(
                    "cannot tell the signature type of " + function.getName() + "; set FUNCTION_SIGNATURE_TYPE"));
        }
        return switch (signatureType) {
            case "http" -> HttpFunctionExecutor.forClass(function);
            case "event", "cloudevent" -> BackgroundFunctionExecutor.forClass(function);
            case "typed" -> TypedFunctionExecutor.forClass(function);
            default -> throw new IllegalArgumentException("unknown function signature type " + signatureType);
        };
    }

    /**
     * The invoker's isolation for {@code --classpath}: the function sees the Functions Framework and
     * CloudEvents API and the servlet API of the runtime, and none of the runtime's own classes.
     */
    public static ClassLoader functionClassLoader(String classpath) {
        List<URL> urls = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            try {
                urls.add(Path.of(entry).toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException(entry, e);
            }
        }
        return new URLClassLoader(urls.toArray(URL[]::new), new ApiOnlyClassLoader(LoopbackInvoker.class.getClassLoader()));
    }

    /** The port the server listens on (useful when started on port 0). */
    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** As the invoker: a browser's {@code /favicon.ico} and {@code /robots.txt} never reach the function. */
    private static final class NotFoundHandler extends HandlerWrapper {
        @Override
        public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            if (NOT_FOUND_PATHS.contains(request.getRequestURI())) {
                response.sendError(HttpServletResponse.SC_NOT_FOUND, "Not Found");
                baseRequest.setHandled(true);
                return;
            }
            super.handle(target, baseRequest, request, response);
        }
    }

    private static final class ApiOnlyClassLoader extends ClassLoader {
        private final ClassLoader runtime;

        ApiOnlyClassLoader(ClassLoader runtime) {
            super(ClassLoader.getPlatformClassLoader());
            this.runtime = runtime;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (isApi(name, "com.google.cloud.functions.") || isApi(name, "io.cloudevents.")
                    || name.startsWith("javax.servlet.")) {
                return runtime.loadClass(name);
            }
            throw new ClassNotFoundException(name);
        }

        private static boolean isApi(String name, String prefix) {
            return name.startsWith(prefix) && name.length() > prefix.length()
                    && Character.isUpperCase(name.charAt(prefix.length()));
        }
    }
}
