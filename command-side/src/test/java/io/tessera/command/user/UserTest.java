package io.tessera.command.user;

import static io.tessera.command.Rejections.rejectedWith;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.events.user.CreateUser;
import io.tessera.events.user.DeleteUser;
import io.tessera.events.user.Role;
import io.tessera.events.user.UserCreated;
import io.tessera.events.user.UserDeleted;
import io.tessera.infra.web.ErrorCode;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UserTest {

    private static final String TENANT = "acme";
    private static final String EMAIL = "ana@acme.example";
    private static final String ID = User.idFor(TENANT, EMAIL);

    private FixtureConfiguration<User> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(User.class);
    }

    @Test
    void createsAUserWithALowerCasedEmail() {
        fixture.givenNoPriorActivity()
                .when(new CreateUser(TENANT, User.idFor(TENANT, "Ana@Acme.example"), "Ana@Acme.example", Role.EDITOR))
                .expectEvents(new UserCreated(TENANT, ID, EMAIL, Role.EDITOR));
    }

    @Test
    void derivesTheSameIdFromTenantAndEmailWhateverTheCase() {
        assertThat(User.idFor(TENANT, "ANA@ACME.EXAMPLE")).isEqualTo(ID);
        assertThat(User.idFor("other", EMAIL)).isNotEqualTo(ID);
    }

    @Test
    void rejectsAMalformedEmail() {
        fixture.givenNoPriorActivity()
                .when(new CreateUser(TENANT, User.idFor(TENANT, "not-an-email"), "not-an-email", Role.EDITOR))
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
