package io.tessera.events;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.tessera.events", importOptions = ImportOption.DoNotIncludeTests.class)
class PublishedLanguageArchitectureTest {

    @ArchTest
    static final ArchRule dependsOnNothingOfOurs = noClasses()
            .that()
            .resideInAPackage("io.tessera.events..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "io.tessera.infra..", "io.tessera.command..", "io.tessera.query..", "io.tessera.local..");

    @ArchTest
    static final ArchRule knowsNoFrameworkButJsonNamesAndRouting = noClasses()
            .that()
            .resideInAPackage("io.tessera.events..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "org.springframework..",
                    "org.axonframework..",
                    "jakarta.persistence..",
                    "com.fasterxml.jackson.databind..",
                    "tools.jackson..");

    @ArchTest
    static final ArchRule messagesAreImmutableRecords = classes()
            .that()
            .resideInAnyPackage(
                    "io.tessera.events.tenant",
                    "io.tessera.events.deployment",
                    "io.tessera.events.workflow",
                    "io.tessera.events.user",
                    "io.tessera.events.intake",
                    "io.tessera.events.audit")
            .and()
            .areTopLevelClasses()
            .and()
            .areNotEnums()
            .and()
            .areNotInterfaces()
            .and()
            .doNotHaveSimpleName("package-info")
            .should()
            .beRecords()
            .andShould()
            .haveModifier(JavaModifier.PUBLIC);
}
