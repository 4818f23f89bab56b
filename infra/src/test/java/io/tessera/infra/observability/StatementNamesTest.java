package io.tessera.infra.observability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatementNamesTest {

    private final StatementNames names = new StatementNames();

    @Test
    void verbAndFirstTableOrFunction() {
        assertThat(names.nameOf("SELECT pg_advisory_xact_lock(hashtext(?))")).isEqualTo("select pg_advisory_xact_lock");
        assertThat(names.nameOf("INSERT INTO command_side.domain_event_entry (a) VALUES (?)"))
                .isEqualTo("insert domain_event_entry");
        assertThat(names.nameOf("\n  select d.id from deployments d join x on true where tenant_id = ?"))
                .isEqualTo("select deployments");
        assertThat(names.nameOf("UPDATE token_entry SET owner = ?")).isEqualTo("update token_entry");
        assertThat(names.nameOf("/* c */ DELETE FROM users WHERE id = ?")).isEqualTo("delete users");
        assertThat(names.nameOf("SELECT count(*) FROM workflows")).isEqualTo("select workflows");
        assertThat(names.nameOf("SET LOCAL ROLE tessera_query_api")).isEqualTo("set");
        assertThat(names.nameOf(null)).isEqualTo("unknown");
    }
}
