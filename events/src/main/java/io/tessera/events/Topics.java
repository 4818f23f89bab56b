package io.tessera.events;

/** Kafka topics of the external contract. */
public final class Topics {
    public static final String COMMANDS = "tessera.commands";
    public static final String COMMAND_RESULTS = "tessera.command-results";
    public static final String COMMANDS_DLQ = "tessera.commands.dlq";
    public static final String EVENTS = "tessera.events";

    private Topics() {}
}
