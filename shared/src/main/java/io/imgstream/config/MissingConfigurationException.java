package io.imgstream.config;

/** A required setting is absent; the message is one line naming the variable. */
public final class MissingConfigurationException extends RuntimeException {
    public MissingConfigurationException(String message) {
        super(message);
    }
}
