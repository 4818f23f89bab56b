package io.tessera.command.intake;

import java.util.List;

/** A feature's commands on {@code tessera.commands}: each feature that takes commands there registers one bean. */
public interface KafkaCommands {

    List<KafkaCommandType> types();
}
