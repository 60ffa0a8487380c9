package io.imgstream.bench;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;

/** The baseline: a bare Functions Framework hello, nothing but the invoker and the JVM. */
public class HelloFunction implements HttpFunction {
    @Override
    public void service(HttpRequest request, HttpResponse response) throws Exception {
        response.setContentType("text/plain");
        response.getWriter().write("hello");
    }
}
