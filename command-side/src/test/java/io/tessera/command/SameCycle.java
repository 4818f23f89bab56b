package io.tessera.command;

import com.tngtech.archunit.library.freeze.ViolationLineMatcher;

/**
 * A frozen cycle is known by its slices alone ({@code freeze.lineMatcher} in archunit.properties): a dependency added
 * to or removed from a cycle that is already frozen is no new violation, a new cycle is.
 */
public final class SameCycle implements ViolationLineMatcher {

    @Override
    public boolean matches(String stored, String actual) {
        return slicesOf(stored).equals(slicesOf(actual));
    }

    private static String slicesOf(String violation) {
        int dependencies = violation.indexOf("1. Dependencies of");
        String cycle = dependencies < 0 ? violation : violation.substring(0, dependencies);
        return cycle.replaceAll("[\\\\\\s]+", " ").trim();
    }
}
