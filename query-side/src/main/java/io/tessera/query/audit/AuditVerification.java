package io.tessera.query.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The answer of {@code GET /api/audit/verify}: {@code ok} with the number of entries walked and the head of
 * the chain (keep {@code head_hash}: a later verify that still passes through it proves nothing before it
 * changed), or the first broken link.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record AuditVerification(
        @JsonProperty("ok") boolean ok,
        @JsonProperty("entries_checked") long entriesChecked,
        @JsonProperty("head_position") Long headPosition,
        @JsonProperty("head_hash") String headHash,
        @JsonProperty("broken_link") BrokenLink brokenLink) {

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record BrokenLink(
            @JsonProperty("position") long position,
            @JsonProperty("event_id") String eventId,
            @JsonProperty("problem") String problem,
            @JsonProperty("expected") String expected,
            @JsonProperty("found") String found) {}

    static AuditVerification of(AuditChain.Verdict verdict) {
        AuditChain.Break broken = verdict.broken();
        return new AuditVerification(
                verdict.ok(),
                verdict.entries(),
                verdict.headPosition(),
                verdict.headHash(),
                broken == null
                        ? null
                        : new BrokenLink(
                                broken.position(),
                                broken.eventId(),
                                broken.problem(),
                                broken.expected(),
                                broken.found()));
    }
}
