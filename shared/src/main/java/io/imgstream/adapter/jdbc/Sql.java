package io.imgstream.adapter.jdbc;

import io.imgstream.domain.ImgStreamException;

import java.sql.SQLException;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * Runs repository work and turns what Micronaut Data, its transactions or the pool throw into a
 * {@link DatabaseException} (a 503, or a 400 for text PostgreSQL cannot hold); the domain's own exceptions pass.
 */
final class Sql {

    static final String UNIQUE_VIOLATION = "23505";

    private Sql() {
    }

    static <T> T call(Supplier<T> work) {
        try {
            return work.get();
        } catch (ImgStreamException e) {
            throw e;
        } catch (RuntimeException e) {
            if (fromDataLayer(e)) {
                throw DatabaseException.of(e);
            }
            throw e;
        }
    }

    static void run(Runnable work) {
        call(() -> {
            work.run();
            return null;
        });
    }

    /** Whether this failure is a unique violation (SQLSTATE 23505) somewhere in its cause chain. */
    static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    static String[] texts(Collection<String> values) {
        return values.toArray(new String[0]);
    }

    private static boolean fromDataLayer(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                return true;
            }
        }
        String type = e.getClass().getName();
        return type.startsWith("io.micronaut.data.") || type.startsWith("io.micronaut.transaction.");
    }
}
