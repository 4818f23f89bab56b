package io.tessera.events;

import io.tessera.events.audit.CommandRejected;
import io.tessera.events.client.ClientRegistered;
import io.tessera.events.client.ClientRevoked;
import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.deployment.DeploymentCreatedV1;
import io.tessera.events.deployment.DeploymentDeleted;
import io.tessera.events.deployment.DeploymentStatusChanged;
import io.tessera.events.deployment.DeploymentUrlChanged;
import io.tessera.events.tenant.CreationQuotaConsumed;
import io.tessera.events.tenant.TenantCreated;
import io.tessera.events.tenant.TenantDataKeysShredded;
import io.tessera.events.tenant.TenantOffboarded;
import io.tessera.events.tenant.TenantQuotasChanged;
import io.tessera.events.tenant.TenantReactivated;
import io.tessera.events.tenant.TenantSuspended;
import io.tessera.events.user.UserCreated;
import io.tessera.events.user.UserDeleted;
import io.tessera.events.workflow.WorkflowConfigChanged;
import io.tessera.events.workflow.WorkflowCreated;
import io.tessera.events.workflow.WorkflowDeleted;
import io.tessera.events.workflow.WorkflowRenamed;
import io.tessera.events.workflow.WorkflowStatusChanged;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The CloudEvents {@code type} of every published event, with its version. A consumer reads the type,
 * never a Java class name, so classes may move without breaking anyone. Older versions stay registered
 * ({@link OlderVersion}): their records are read by their type and then upcast to the current shape.
 */
public final class EventCatalog {

    public static final String SOURCE = "/tessera/command-side";

    private static final Map<Class<?>, String> TYPES = new LinkedHashMap<>();
    private static final Map<String, Class<?>> CLASSES = new LinkedHashMap<>();

    static {
        register(TenantCreated.class, "tessera.tenant.created.v1");
        register(TenantQuotasChanged.class, "tessera.tenant.quotas-changed.v1");
        register(CreationQuotaConsumed.class, "tessera.tenant.creation-quota-consumed.v1");
        register(TenantSuspended.class, "tessera.tenant.suspended.v1");
        register(TenantReactivated.class, "tessera.tenant.reactivated.v1");
        register(TenantOffboarded.class, "tessera.tenant.offboarded.v1");
        register(TenantDataKeysShredded.class, "tessera.tenant.data-keys-shredded.v1");
        register(DeploymentCreatedV1.class, "tessera.deployment.created.v1");
        register(DeploymentCreated.class, "tessera.deployment.created.v2");
        register(DeploymentStatusChanged.class, "tessera.deployment.status-changed.v1");
        register(DeploymentUrlChanged.class, "tessera.deployment.url-changed.v1");
        register(DeploymentDeleted.class, "tessera.deployment.deleted.v1");
        register(WorkflowCreated.class, "tessera.workflow.created.v1");
        register(WorkflowRenamed.class, "tessera.workflow.renamed.v1");
        register(WorkflowStatusChanged.class, "tessera.workflow.status-changed.v1");
        register(WorkflowConfigChanged.class, "tessera.workflow.config-changed.v1");
        register(WorkflowDeleted.class, "tessera.workflow.deleted.v1");
        register(UserCreated.class, "tessera.user.created.v1");
        register(UserDeleted.class, "tessera.user.deleted.v1");
        register(CommandRejected.class, "tessera.command.rejected.v1");
        register(ClientRegistered.class, "tessera.client.registered.v1");
        register(ClientRevoked.class, "tessera.client.revoked.v1");
    }

    private EventCatalog() {}

    private static void register(Class<?> eventClass, String type) {
        TYPES.put(eventClass, type);
        CLASSES.put(type, eventClass);
    }

    public static String typeOf(Class<?> eventClass) {
        String type = TYPES.get(eventClass);
        if (type == null) {
            throw new IllegalArgumentException("Not a published event: " + eventClass.getName());
        }
        return type;
    }

    public static Optional<Class<?>> classOf(String type) {
        return Optional.ofNullable(CLASSES.get(type));
    }

    /** The event in its current shape: older versions are upcast step by step; anything else is returned as is. */
    public static Object upcast(Object event) {
        Object current = event;
        while (current instanceof OlderVersion older) {
            current = older.nextVersion();
        }
        return current;
    }

    /**
     * The revision under which the command side's serializer stores the class: null for a first version
     * (events stored before revisions existed carry none), else the version number of its type ("2" for
     * {@code ...v2}). Lets an upcaster tell stored shapes apart.
     */
    public static String revisionOf(Class<?> eventClass) {
        String type = TYPES.get(eventClass);
        if (type == null) {
            return null;
        }
        String version = type.substring(type.lastIndexOf(".v") + 2);
        return "1".equals(version) ? null : version;
    }

    public static Map<Class<?>, String> all() {
        return Map.copyOf(TYPES);
    }
}
