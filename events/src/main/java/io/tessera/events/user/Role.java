package io.tessera.events.user;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** viewer reads; editor also writes deployments and workflows; admin also manages users; auditor reads the logs. */
public enum Role {
    @JsonProperty("viewer")
    VIEWER,
    @JsonProperty("editor")
    EDITOR,
    @JsonProperty("admin")
    ADMIN,
    @JsonProperty("auditor")
    AUDITOR;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromJsonName(String name) {
        return Arrays.stream(values()).filter(r -> r.jsonName().equals(name)).findFirst();
    }
}
