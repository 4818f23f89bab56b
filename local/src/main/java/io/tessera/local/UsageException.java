package io.tessera.local;

/** Arguments or settings the operator got wrong: a message for them and exit code 2. */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }
}
