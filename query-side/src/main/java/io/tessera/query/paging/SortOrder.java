package io.tessera.query.paging;

import java.util.Arrays;
import java.util.Optional;

/** The contract's {@code sort} values: newest first by default. */
public enum SortOrder {
    NEWEST_FIRST("-created_at", "DESC", "<"),
    OLDEST_FIRST("created_at", "ASC", ">");

    private final String parameter;
    private final String sqlDirection;
    private final String keysetComparison;

    SortOrder(String parameter, String sqlDirection, String keysetComparison) {
        this.parameter = parameter;
        this.sqlDirection = sqlDirection;
        this.keysetComparison = keysetComparison;
    }

    public String parameter() {
        return parameter;
    }

    String sqlDirection() {
        return sqlDirection;
    }

    String keysetComparison() {
        return keysetComparison;
    }

    static Optional<SortOrder> fromParameter(String value) {
        return Arrays.stream(values()).filter(s -> s.parameter.equals(value)).findFirst();
    }
}
