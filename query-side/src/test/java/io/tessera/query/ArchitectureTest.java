package io.tessera.query;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.tessera.query", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule neverTheCommandSide = noClasses()
            .that()
            .resideInAPackage("io.tessera.query..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.tessera.command..", "org.axonframework..");

    @ArchTest
    static final ArchRule noJpa = noClasses()
            .that()
            .resideInAPackage("io.tessera.query..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("jakarta.persistence..", "org.hibernate..");

    @ArchTest
    static final ArchRule featuresShareOnlyProjectionAndPaging = slices().matching("io.tessera.query.(*)..")
            .should()
            .notDependOnEachOther()
            .ignoreDependency(
                    DescribedPredicate.alwaysTrue(),
                    JavaClass.Predicates.resideInAnyPackage("io.tessera.query.projection", "io.tessera.query.paging"));
}
