package io.tessera.infra.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The envelope of every {@code /api} answer. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiResponse<T>(
        @JsonProperty("success") boolean success,
        @JsonProperty("data") T data,
        @JsonProperty("pagination") Pagination pagination,
        @JsonProperty("error") Error error,

        @JsonProperty("tenant_id") @JsonInclude(JsonInclude.Include.ALWAYS)
        String tenantId) {

    public record Error(
            @JsonProperty("code") String code,
            @JsonProperty("message") String message,
            @JsonProperty("details") List<String> details) {}

    public static <T> ApiResponse<T> ok(T data, String tenantId) {
        return new ApiResponse<>(true, data, null, null, tenantId);
    }

    public static <T> ApiResponse<T> page(T data, Pagination pagination, String tenantId) {
        return new ApiResponse<>(true, data, pagination, null, tenantId);
    }

    public static ApiResponse<Void> failure(ErrorCode code, String message, List<String> details, String tenantId) {
        return new ApiResponse<>(false, null, null, new Error(code.name(), message, details), tenantId);
    }
}
