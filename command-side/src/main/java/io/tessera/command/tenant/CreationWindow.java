package io.tessera.command.tenant;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Creations of one kind in the past hour, counted per minute: 60 slots (slot = minute mod 60), each the
 * minute it counts and how many. Constant size, so the {@code Tenant} snapshot and its load cost the same
 * whatever the tenant's rate (a deque of one timestamp per creation grew to 1000 parsed {@code Instant}s a
 * load at 1000 creations an hour). A creation counts until its minute is an hour old: the window is the
 * rolling hour to the minute.
 */
final class CreationWindow {

    static final int MINUTES = 60;

    /** The minute (epoch minutes) each slot counts; 0 with a count of 0 when never used. */
    private long[] minutes = new long[MINUTES];

    private int[] counts = new int[MINUTES];

    void add(Instant at) {
        long minute = minuteOf(at);
        int slot = (int) Math.floorMod(minute, MINUTES);
        if (minutes[slot] > minute) {
            return; // older than the minute the slot already counts: an hour or more behind it
        }
        if (minutes[slot] < minute) {
            minutes[slot] = minute;
            counts[slot] = 0;
        }
        counts[slot]++;
    }

    /** Creations whose minute is less than an hour before {@code now}'s minute. */
    long count(Instant now) {
        long first = minuteOf(now) - MINUTES;
        long total = 0;
        for (int slot = 0; slot < MINUTES; slot++) {
            if (counts[slot] > 0 && minutes[slot] > first) {
                total += counts[slot];
            }
        }
        return total;
    }

    /** When the oldest counted minute leaves the window, from {@code now}; empty when nothing counts. */
    Optional<Duration> untilOldestLeaves(Instant now) {
        long first = minuteOf(now) - MINUTES;
        long oldest = Long.MAX_VALUE;
        for (int slot = 0; slot < MINUTES; slot++) {
            if (counts[slot] > 0 && minutes[slot] > first) {
                oldest = Math.min(oldest, minutes[slot]);
            }
        }
        return oldest == Long.MAX_VALUE
                ? Optional.empty()
                : Optional.of(Duration.between(now, Instant.ofEpochSecond((oldest + MINUTES) * 60)));
    }

    private static long minuteOf(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), 60);
    }
}
