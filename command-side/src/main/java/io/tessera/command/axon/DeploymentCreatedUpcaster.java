package io.tessera.command.axon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.events.EventCatalog;
import io.tessera.events.deployment.DeploymentCreated;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

/**
 * {@code DeploymentCreated} as stored before revision 2 ({@code tessera.deployment.created.v1}, no revision
 * in the event store) called the display name {@code project_name}; revision 2 calls it {@code name}. Stored
 * events are never rewritten: this renames the field on every read, for the aggregate and the publisher,
 * which therefore publishes old events in the v2 shape too.
 */
final class DeploymentCreatedUpcaster extends SingleEventUpcaster {

    static final SimpleSerializedType V1 = new SimpleSerializedType(DeploymentCreated.class.getTypeName(), null);
    static final SimpleSerializedType V2 = new SimpleSerializedType(
            DeploymentCreated.class.getTypeName(), EventCatalog.revisionOf(DeploymentCreated.class));

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return V1.equals(representation.getType());
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(V2, JsonNode.class, DeploymentCreatedUpcaster::renameProjectName);
    }

    static JsonNode renameProjectName(JsonNode v1) {
        if (!(v1 instanceof ObjectNode object) || !object.has("project_name")) {
            return v1;
        }
        ObjectNode v2 = object.deepCopy();
        v2.set("name", v2.remove("project_name"));
        return v2;
    }
}
