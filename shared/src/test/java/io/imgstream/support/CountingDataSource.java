package io.imgstream.support;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicInteger;

/** A real data source whose connections count every statement they prepare or create: round trips, seen at JDBC. */
public final class CountingDataSource {

    private final AtomicInteger statements = new AtomicInteger();
    private final DataSource dataSource;

    public CountingDataSource(DataSource real) {
        ClassLoader loader = CountingDataSource.class.getClassLoader();
        dataSource = (DataSource) Proxy.newProxyInstance(loader, new Class<?>[]{DataSource.class}, (proxy, method, args) -> {
            Object result = invoke(method, real, args);
            if (result instanceof Connection connection) {
                return Proxy.newProxyInstance(loader, new Class<?>[]{Connection.class}, (p, m, a) -> {
                    if (m.getName().equals("prepareStatement") || m.getName().equals("createStatement")
                            || m.getName().equals("prepareCall")) {
                        statements.incrementAndGet();
                    }
                    return invoke(m, connection, a);
                });
            }
            return result;
        });
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public int statements() {
        return statements.get();
    }

    public void reset() {
        statements.set(0);
    }

    private static Object invoke(Method m, Object target, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
