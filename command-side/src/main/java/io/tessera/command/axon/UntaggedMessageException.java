package io.tessera.command.axon;

/** A message without a proper tenant; unchecked, so the unit of work rolls back. */
public class UntaggedMessageException extends IllegalStateException {

    public UntaggedMessageException(String message) {
        super(message);
    }
}
