package io.tessera.command.user;

import static io.tessera.command.Rejections.rejectedWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.test.matchers.Matchers.andNoMore;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.payloadsMatching;
import static org.axonframework.test.matchers.Matchers.predicate;

import io.tessera.events.user.Role;
import io.tessera.events.user.UserCreated;
import io.tessera.events.user.UserDeleted;
import io.tessera.infra.pii.InMemoryKeySource;
import io.tessera.infra.pii.PiiVault;
import io.tessera.infra.web.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UserTest {

    private static final String TENANT = "acme";
    private static final String EMAIL = "ana@acme.example";

    private final InMemoryKeySource keys = new InMemoryKeySource();
    private final PiiVault vault = new PiiVault(keys);
    private final String ID = User.idFor(TENANT, EMAIL, vault);

    private FixtureConfiguration<User> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(User.class);
        fixture.registerInjectableResource(vault);
    }

    @Test
    void createsAUserWithALowerCasedEmailStoredSealed() {
        fixture.givenNoPriorActivity()
                .when(new CreateUser(
                        TENANT, User.idFor(TENANT, "Ana@Acme.example", vault), "Ana@Acme.example", Role.EDITOR))
                .expectEventsMatching(payloadsMatching(exactSequenceOf(
                        predicate((UserCreated created) -> created.tenantId().equals(TENANT)
                                && created.userId().equals(ID)
                                && created.role() == Role.EDITOR
                                && created.email().startsWith("pii:v1:1:")
                                && !created.email().contains("ana")
                                && EMAIL.equals(vault.reveal(TENANT, User.EMAIL, created.email()))),
                        andNoMore())));
    }

    @Test
    void derivesTheSameIdFromTenantAndEmailWhateverTheCase() {
        assertThat(User.idFor(TENANT, "ANA@ACME.EXAMPLE", vault)).isEqualTo(ID);
        assertThat(User.idFor("other", EMAIL, vault)).isNotEqualTo(ID);
    }

    @Test
    void derivesAnIdThatIsNotAPlainHashOfTenantAndEmail() {
        String unkeyed = UUID.nameUUIDFromBytes((TENANT + "\n" + EMAIL).getBytes(StandardCharsets.UTF_8))
                .toString();
        assertThat(ID).isNotEqualTo(unkeyed);
        keys.shred(TENANT);
        assertThat(User.idFor(TENANT, EMAIL, vault)).as("after shredding").isNotEqualTo(ID);
    }

    @Test
    void rejectsAMalformedEmail() {
        fixture.givenNoPriorActivity()
                .when(new CreateUser(TENANT, User.idFor(TENANT, "not-an-email", vault), "not-an-email", Role.EDITOR))
                .expectException(rejectedWith(ErrorCode.VALIDATION_FAILED))
                .expectNoEvents();
    }

    @Test
    void rejectsAMissingRole() {
        fixture.givenNoPriorActivity()
                .when(new CreateUser(TENANT, ID, EMAIL, null))
                .expectException(rejectedWith(ErrorCode.VALIDATION_FAILED))
                .expectNoEvents();
    }

    @Test
    void rejectsAnIdNotDerivedFromTenantAndEmail() {
        fixture.givenNoPriorActivity()
                .when(new CreateUser(TENANT, "chosen-id", EMAIL, Role.ADMIN))
                .expectException(rejectedWith(ErrorCode.VALIDATION_FAILED))
                .expectNoEvents();
    }

    @Test
    void deletesAUser() {
        fixture.given(new UserCreated(TENANT, ID, EMAIL, Role.EDITOR))
                .when(new DeleteUser(TENANT, ID))
                .expectEvents(new UserDeleted(TENANT, ID));
    }

    @Test
    void answersAnotherTenantAsIfTheUserDidNotExist() {
        fixture.given(new UserCreated(TENANT, ID, EMAIL, Role.EDITOR))
                .when(new DeleteUser("other", ID))
                .expectException(rejectedWith(ErrorCode.NOT_FOUND))
                .expectNoEvents();
    }

    @Test
    void answersADeletedUserAsNotFound() {
        fixture.given(new UserCreated(TENANT, ID, EMAIL, Role.EDITOR), new UserDeleted(TENANT, ID))
                .when(new DeleteUser(TENANT, ID))
                .expectException(rejectedWith(ErrorCode.NOT_FOUND));
    }
}
