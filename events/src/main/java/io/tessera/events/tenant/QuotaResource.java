package io.tessera.events.tenant;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum QuotaResource {
    @JsonProperty("deployment")
    DEPLOYMENT,
    @JsonProperty("workflow")
    WORKFLOW
}
