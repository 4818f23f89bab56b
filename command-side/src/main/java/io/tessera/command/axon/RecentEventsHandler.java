package io.tessera.command.axon;

import java.time.Duration;

/**
 * An event handler that every instance runs over the events of a recent window, in a tracking processor of its own
 * whose token starts that far back at each start and is never stored (figures for watching, such as quota usage).
 */
public interface RecentEventsHandler {

    String processorName();

    Duration window();
}
