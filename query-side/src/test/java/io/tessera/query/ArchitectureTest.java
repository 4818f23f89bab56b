package io.tessera.query;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.tessera.query.audit.AuditChain;
import io.tessera.query.freshness.AppliedPositions;
import io.tessera.query.freshness.MinPosition;
import io.tessera.query.freshness.ProjectionPositions;
import io.tessera.query.projection.EventProjection;
import io.tessera.query.projection.StatsCounter;
import io.tessera.query.projection.TenantProjectionLock;
import io.tessera.query.rebuild.RebuildableProjection;
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

    /**
     * Features use the core (consuming, paging, tenancy, the cache, freshness) and take part in rebuilds as a
     * {@code RebuildableProjection}; only the operator endpoints drive rebuilds and dead letters, and only the event
     * log extends the audit chain.
     */
    @ArchTest
    static final ArchRule featuresShareOnlyTheCore = slices().matching("io.tessera.query.(*)..")
            .should()
            .notDependOnEachOther()
            .ignoreDependency(
                    DescribedPredicate.alwaysTrue(),
                    JavaClass.Predicates.resideInAnyPackage(
                            "io.tessera.query.projection",
                            "io.tessera.query.paging",
                            "io.tessera.query.readtable",
                            "io.tessera.query.tenancy",
                            "io.tessera.query.cache",
                            "io.tessera.query.freshness"))
            .ignoreDependency(
                    DescribedPredicate.alwaysTrue(), JavaClass.Predicates.equivalentTo(RebuildableProjection.class))
            .ignoreDependency(
                    JavaClass.Predicates.resideInAPackage("io.tessera.query.admin"),
                    JavaClass.Predicates.resideInAnyPackage("io.tessera.query.rebuild", "io.tessera.query.deadletter"))
            .ignoreDependency(
                    JavaClass.Predicates.resideInAPackage("io.tessera.query.eventlog"),
                    JavaClass.Predicates.equivalentTo(AuditChain.class));

    /** Consuming and applying knows no reader of the read models, no rebuild and no dead-letter administration. */
    @ArchTest
    static final ArchRule projectionUsesOnlyFreshnessAndTenancy = noClasses()
            .that()
            .resideInAPackage("io.tessera.query.projection..")
            .should()
            .dependOnClassesThat(JavaClass.Predicates.resideInAPackage("io.tessera.query..")
                    .and(not(JavaClass.Predicates.resideInAnyPackage(
                            "io.tessera.query.projection..",
                            "io.tessera.query.freshness..",
                            "io.tessera.query.tenancy.."))))
            .because("the dead-letter store and the cache plug in through DeadLetterQueue and AppliedEventListener");

    /** A rebuild is started by the operator endpoints; everyone else only offers a RebuildableProjection. */
    @ArchTest
    static final ArchRule rebuildInternalsStayInside = noClasses()
            .that()
            .resideOutsideOfPackages("io.tessera.query.rebuild..", "io.tessera.query.admin..")
            .should()
            .dependOnClassesThat(JavaClass.Predicates.resideInAPackage("io.tessera.query.rebuild..")
                    .and(not(JavaClass.Predicates.equivalentTo(RebuildableProjection.class))));

    @ArchTest
    static final ArchRule deadLettersAreAdministeredByTheOperatorEndpointsOnly = noClasses()
            .that()
            .resideOutsideOfPackages("io.tessera.query.deadletter..", "io.tessera.query.admin..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.tessera.query.deadletter..");

    /** Applied positions are asked by the projection and the cache, which must not need a request to ask. */
    @ArchTest
    static final ArchRule appliedPositionsNeedNoWebLayer = noClasses()
            .that()
            .belongToAnyOf(AppliedPositions.class, ProjectionPositions.class, MinPosition.class)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("jakarta.servlet..", "org.springframework.web..", "io.tessera.infra.web..")
            .orShould()
            .dependOnClassesThat(JavaClass.Predicates.resideInAPackage("io.tessera.query..")
                    .and(not(JavaClass.Predicates.resideInAnyPackage(
                            "io.tessera.query.freshness..", "io.tessera.query.tenancy.."))));

    /** The cache is handed the freshness a caller asks for as a {@code MinPosition}; it never reads the request. */
    @ArchTest
    static final ArchRule cacheDoesNotReadTheRequest = noClasses()
            .that()
            .resideInAPackage("io.tessera.query.cache..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("jakarta.servlet..", "org.springframework.web..");

    /** A statement outside a TenantTransactions transaction runs as the login user, who bypasses RLS. */
    @ArchTest
    static final ArchRule readsRunInTenantTransactions = classes()
            .that()
            .resideInAPackage("io.tessera.query..")
            .and(useJdbcClient())
            .and()
            .doNotImplement(EventProjection.class)
            .and()
            .doNotBelongToAnyOf(
                    StatsCounter.class, TenantTransactions.class, SchemaOwner.class, TenantProjectionLock.class)
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

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles =
            slices().matching("io.tessera.query.(*)..").should().beFreeOfCycles();

    private static DescribedPredicate<JavaClass> useJdbcClient() {
        return DescribedPredicate.describe(
                "use JdbcClient",
                type -> type.getDirectDependenciesFromSelf().stream()
                        .anyMatch(dependency -> dependency.getTargetClass().isEquivalentTo(JdbcClient.class)));
    }
}
