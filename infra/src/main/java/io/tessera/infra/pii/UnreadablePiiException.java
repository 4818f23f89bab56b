package io.tessera.infra.pii;

/** An envelope that does not open: malformed, tampered with, of another tenant or field, or the wrong key. */
public class UnreadablePiiException extends RuntimeException {

    UnreadablePiiException(String message) {
        super(message);
    }

    UnreadablePiiException(String message, Throwable cause) {
        super(message, cause);
    }
}
