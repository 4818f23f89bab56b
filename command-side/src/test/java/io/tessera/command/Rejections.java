package io.tessera.command;

import io.tessera.infra.web.ErrorCode;
import java.time.Duration;
import org.hamcrest.CustomTypeSafeMatcher;
import org.hamcrest.Matcher;

/** Matchers for {@link CommandRejectedException} in aggregate fixtures. */
public final class Rejections {

    private Rejections() {}

    public static Matcher<Throwable> rejectedWith(ErrorCode code) {
        return new CustomTypeSafeMatcher<>("a rejection with code " + code) {
            @Override
            protected boolean matchesSafely(Throwable thrown) {
                return thrown instanceof CommandRejectedException rejection && rejection.code() == code;
            }
        };
    }

    public static Matcher<Throwable> rejectedWith(ErrorCode code, Duration retryAfter) {
        return new CustomTypeSafeMatcher<>("a rejection with code " + code + " and retry after " + retryAfter) {
            @Override
            protected boolean matchesSafely(Throwable thrown) {
                return thrown instanceof CommandRejectedException rejection
                        && rejection.code() == code
                        && retryAfter.equals(rejection.retryAfter());
            }
        };
    }
}
