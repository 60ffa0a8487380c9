package io.imgstream.application.upload;

import java.io.IOException;

/** Reading the client's body failed (disconnect, or more bytes than allowed); not a storage failure. */
public class ClientStreamException extends IOException {
    public ClientStreamException(String message, Throwable cause) {
        super(message, cause);
    }
}
