package io.tessera.command.axon;

import java.util.Map;
import org.axonframework.messaging.MetaData;

/** The metadata every command carries and every event inherits from it. */
public final class CommandMetadata {

    public static final String TENANT_ID = "tenant_id";
    public static final String ACTOR = "actor";
    public static final String COMMAND_ID = "command_id";

    private CommandMetadata() {}

    public static MetaData of(String tenantId, String actor, String commandId) {
        return MetaData.from(Map.of(TENANT_ID, tenantId, ACTOR, actor, COMMAND_ID, commandId));
    }
}
