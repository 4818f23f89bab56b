package io.tessera.command;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.tessera.command.deployment.Deployment;
import io.tessera.command.tenant.Tenant;
import io.tessera.command.user.User;
import io.tessera.command.workflow.Workflow;
import org.springframework.web.bind.annotation.RestController;

@AnalyzeClasses(packages = "io.tessera.command", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** The features: the core (intake, axon, publishing) names none of them. */
    private static final String[] FEATURES = {
        "io.tessera.command.deployment..",
        "io.tessera.command.workflow..",
        "io.tessera.command.user..",
        "io.tessera.command.tenant..",
        "io.tessera.command.imports.."
    };

    @ArchTest
    static final ArchRule commandSideNeverReadsTheQuerySide = noClasses()
            .that()
            .resideInAPackage("io.tessera.command..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.tessera.query..");

    @ArchTest
    static final ArchRule aggregatesHaveNoSpring = noClasses()
            .that()
            .belongToAnyOf(Tenant.class, Deployment.class, Workflow.class, User.class)
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.springframework..");

    @ArchTest
    static final ArchRule controllersReachAxonOnlyThroughTheExecutor = noClasses()
            .that()
            .areAnnotatedWith(RestController.class)
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.axonframework..");

    @ArchTest
    static final ArchRule axonConfigurationStaysInItsPackage = noClasses()
            .that()
            .resideOutsideOfPackages("io.tessera.command.axon..", "io.tessera.command.publishing..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.axonframework.config..", "org.axonframework.spring..");

    @ArchTest
    static final ArchRule tenancyAndSecurityOnlyThroughInfra = noClasses()
            .that()
            .resideInAPackage("io.tessera.command..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework.security.config..", "org.springframework.security.web..");

    /** Features register what the intake needs of them (command types, the administration marker). */
    @ArchTest
    static final ArchRule theIntakeKnowsNoFeature = noClasses()
            .that()
            .resideInAPackage("io.tessera.command.intake..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(FEATURES);

    /** Features register their aggregates and recent-events handlers ({@code EventSourcedAggregate}, ...). */
    @ArchTest
    static final ArchRule theAxonConfigurationKnowsNoFeature = noClasses()
            .that()
            .resideInAnyPackage("io.tessera.command.axon..", "io.tessera.command.publishing..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(FEATURES);

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles =
            slices().matching("io.tessera.command.(*)..").should().beFreeOfCycles();
}
