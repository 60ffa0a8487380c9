package io.imgstream.config;

import org.slf4j.LoggerFactory;

/**
 * A setting holds a value outside its range; the message is one line naming the variable. Checked by hand in
 * the settings records' constructors: bean validation would put ~250 classes (and micronaut-reactor) on every
 * cold start for a handful of range checks.
 */
public final class InvalidConfigurationException extends RuntimeException {

    private InvalidConfigurationException(String message) {
        super(message);
    }

    /** Fails with one logged line when {@code value} is outside {@code [min, max]}. */
    public static void requireRange(String variable, long value, long min, long max) {
        if (value < min || value > max) {
            fail(variable + " must be " + (max == Long.MAX_VALUE ? "at least " + min : "between " + min + " and " + max)
                    + "; it is " + value);
        }
    }

    public static void fail(String line) {
        LoggerFactory.getLogger(InvalidConfigurationException.class).error("Invalid configuration: {}", line);
        throw new InvalidConfigurationException("Invalid configuration: " + line);
    }
}
