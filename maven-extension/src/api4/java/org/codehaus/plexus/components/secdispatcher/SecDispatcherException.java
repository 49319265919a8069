package org.codehaus.plexus.components.secdispatcher;

/** Compile-time stand-in; see Dispatcher. */
public class SecDispatcherException extends RuntimeException {
    public SecDispatcherException(String message) {
        super(message);
    }

    public SecDispatcherException(String message, Throwable cause) {
        super(message, cause);
    }
}
