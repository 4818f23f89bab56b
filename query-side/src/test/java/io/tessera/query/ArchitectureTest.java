package io.tessera.query;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.freeze.FreezingArchRule;
import io.tessera.query.projection.EventProjection;
import io.tessera.query.projection.StatsCounter;
import io.tessera.query.tenancy.SchemaOwner;
import io.tessera.query.tenancy.TenantTransactions;
import org.springframework.jdbc.core.simple.JdbcClient;

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
                    JavaClass.Predicates.resideInAnyPackage(
                            "io.tessera.query.projection",
                            "io.tessera.query.paging",
                            "io.tessera.query.readtable",
                            "io.tessera.query.tenancy",
                            "io.tessera.query.cache"));

    /** A statement outside a TenantTransactions transaction runs as the login user, who bypasses RLS. */
    @ArchTest
    static final ArchRule readsRunInTenantTransactions = classes()
            .that()
            .resideInAPackage("io.tessera.query..")
            .and(useJdbcClient())
            .and()
            .doNotImplement(EventProjection.class)
            .and()
            .doNotBelongToAnyOf(StatsCounter.class, TenantTransactions.class, SchemaOwner.class)
            .should()
            .dependOnClassesThat()
            .belongToAnyOf(TenantTransactions.class)
            .because("every statement must run in the role and tenant that row-level security checks (SchemaOwner:"
                    + " the owner's DDL, which reads no row)");

    @ArchTest
    static final ArchRule onlyTenantTransactionsOpenTransactions = noClasses()
            .that()
            .resideOutsideOfPackage("io.tessera.query.tenancy")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework.transaction..")
            .because("a transaction opened elsewhere would not set the role and the tenant");

    /**
     * A known cycle is frozen: the cache reads records with the projection's {@code CloudEventReader},
     * and the projection evicts the cache. A new cycle fails; a frozen one that goes away leaves the store.
     */
    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = FreezingArchRule.freeze(
            slices().matching("io.tessera.query.(*)..").should().beFreeOfCycles());

    private static DescribedPredicate<JavaClass> useJdbcClient() {
        return DescribedPredicate.describe(
                "use JdbcClient",
                type -> type.getDirectDependenciesFromSelf().stream()
                        .anyMatch(dependency -> dependency.getTargetClass().isEquivalentTo(JdbcClient.class)));
    }
}
