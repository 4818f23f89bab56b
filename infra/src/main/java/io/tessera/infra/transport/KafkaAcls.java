package io.tessera.infra.transport;

import io.tessera.events.Topics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on Tessera's topics, as ACLs for Kafka's standard authorizer: an upstream system writes
 * {@code tessera.commands} and reads {@code tessera.command-results} (every tenant's results: Kafka cannot filter
 * by key, so only a system trusted with all of them gets this; the others use HTTP); the command side alone reads
 * the commands (they carry tokens) and writes events, results and dead letters; the query side reads the events.
 * Nobody else writes {@code tessera.events}, and nobody but the query side reads it.
 */
public final class KafkaAcls {

    /** Consumer groups of the query side: its projections, and each instance's cache and live-stream followers. */
    public static final String QUERY_SIDE_GROUPS = "tessera-query-";

    public static final String COMMAND_SIDE_GROUP = "tessera-command-side";

    private KafkaAcls() {}

    /** {@code principal} as Kafka names it, e.g. {@code User:billing-system}; its groups start with its name. */
    public static List<AclBinding> upstream(String principal) {
        List<AclBinding> acls = new ArrayList<>();
        acls.add(allow(topic(Topics.COMMANDS), principal, AclOperation.WRITE));
        acls.add(allow(topic(Topics.COMMAND_RESULTS), principal, AclOperation.READ));
        acls.add(allow(
                groupsStartingWith(principal.substring(principal.indexOf(':') + 1) + "-"),
                principal,
                AclOperation.READ));
        return acls;
    }

    public static List<AclBinding> commandSide(String principal) {
        List<AclBinding> acls = new ArrayList<>();
        acls.add(allow(topic(Topics.COMMANDS), principal, AclOperation.READ));
        acls.add(allow(
                new ResourcePattern(ResourceType.GROUP, COMMAND_SIDE_GROUP, PatternType.LITERAL),
                principal,
                AclOperation.READ));
        for (String written : List.of(Topics.EVENTS, Topics.COMMAND_RESULTS, Topics.COMMANDS_DLQ)) {
            acls.add(allow(topic(written), principal, AclOperation.WRITE));
        }
        for (String created : List.of(Topics.COMMANDS, Topics.COMMAND_RESULTS, Topics.COMMANDS_DLQ, Topics.EVENTS)) {
            acls.add(allow(topic(created), principal, AclOperation.CREATE));
        }
        return acls;
    }

    public static List<AclBinding> querySide(String principal) {
        List<AclBinding> acls = new ArrayList<>();
        acls.add(allow(topic(Topics.EVENTS), principal, AclOperation.READ));
        acls.add(allow(groupsStartingWith(QUERY_SIDE_GROUPS), principal, AclOperation.READ));
        acls.add(allow(groupsStartingWith(QUERY_SIDE_GROUPS), principal, AclOperation.DESCRIBE));
        return acls;
    }

    private static ResourcePattern topic(String name) {
        return new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
    }

    private static ResourcePattern groupsStartingWith(String prefix) {
        return new ResourcePattern(ResourceType.GROUP, prefix, PatternType.PREFIXED);
    }

    private static AclBinding allow(ResourcePattern resource, String principal, AclOperation operation) {
        return new AclBinding(resource, new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }
}
