package io.tessera.command.axon;

/**
 * An aggregate a feature registers (a bean of this type), so that the Axon configuration names none. A snapshotted
 * one ({@code snapshotRevision} set: the revision of its current state shape) is also kept in memory between
 * commands ({@link StoreCheckedCache}); a snapshot of another revision is skipped and the aggregate rebuilt from its
 * events.
 */
public record EventSourcedAggregate(Class<?> type, String snapshotRevision) {

    public static EventSourcedAggregate of(Class<?> type) {
        return new EventSourcedAggregate(type, null);
    }

    public static EventSourcedAggregate snapshotted(Class<?> type, String snapshotRevision) {
        return new EventSourcedAggregate(type, snapshotRevision);
    }

    boolean isSnapshotted() {
        return snapshotRevision != null;
    }
}
