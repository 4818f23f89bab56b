package io.tessera.command.axon;

import io.tessera.infra.observability.TraceContext;
import java.util.HashMap;
import java.util.Map;
import org.axonframework.messaging.MetaData;

/** The metadata every command carries and every event inherits from it. */
public final class CommandMetadata {

    public static final String TENANT_ID = "tenant_id";
    public static final String ACTOR = "actor";
    public static final String COMMAND_ID = "command_id";
    /** "true" on the commands of {@code ./tessera import} (importer token only): no creation quota applies. */
    public static final String IMPORT = "import";
    /** The created_at of an imported row in the old system (ISO-8601), carried to the read model. */
    public static final String LEGACY_CREATED_AT = "legacy_created_at";
    /** The W3C trace context of the work that sent the command; events carry it on to Kafka. */
    public static final String TRACEPARENT = TraceContext.HEADER;

    private CommandMetadata() {}

    public static MetaData of(String tenantId, String actor, String commandId) {
        Map<String, Object> values = new HashMap<>(Map.of(TENANT_ID, tenantId, ACTOR, actor, COMMAND_ID, commandId));
        TraceContext.current().ifPresent(trace -> values.put(TRACEPARENT, trace.traceparent()));
        return MetaData.from(values);
    }

    public static boolean imported(MetaData metaData) {
        return "true".equals(metaData.get(IMPORT));
    }
}
