package dev.bffgateway.it;

import java.util.stream.Stream;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The module boundaries DESIGN.md draws, checked on the compiled classes: the BFFs never import each other,
 * gateway-core never imports a BFF, and the edge carries requests without deciding anything (no routing,
 * aggregation or dashboard logic in it).
 */
class BoundariesTest {

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		// Spring AOT's generated bean definitions (Foo__BeanDefinitions) are build output, not our code
		.withImportOption((location) -> !location.contains("__"))
		// gateway-core's test jar (the demo's token minting), when the reactor resolves it as a jar
		.withImportOption((location) -> !location.contains("-tests.jar"))
		.importPackages("dev.bffgateway");

	@Test
	void bffsNeverImportEachOther() {
		for (String bff : new String[] { "web", "mobile", "partner" }) {
			noClasses().that()
				.resideInAPackage("dev.bffgateway." + bff + "..")
				.should()
				.dependOnClassesThat()
				.resideInAnyPackage(otherBffs(bff))
				.check(CLASSES);
		}
	}

	@Test
	void coreNeverImportsABff() {
		noClasses().that()
			.resideInAPackage("dev.bffgateway.core..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.bffgateway.web..", "dev.bffgateway.mobile..", "dev.bffgateway.partner..")
			.check(CLASSES);
	}

	@Test
	void theEdgeHoldsNoDecisionLogic() {
		noClasses().that()
			.resideInAPackage("dev.bffgateway.core.edge..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.bffgateway.core.routing..", "dev.bffgateway.core.aggregation..",
					"dev.bffgateway.core.dashboard..", "dev.bffgateway.core.downstream..")
			.check(CLASSES);
	}

	@Test
	void theAggregationCoreIsPlainJava() {
		noClasses().that()
			.resideInAPackage("dev.bffgateway.core.aggregation..")
			.and()
			.haveSimpleNameNotEndingWith("AutoConfiguration")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("org.springframework..")
			.check(CLASSES);
	}

	/**
	 * Routing and shaping decide, they are not wired: free of Spring's container, MVC, Gateway and actuator. Their
	 * auto-configuration, bound properties and actuator endpoint are the wiring; routing uses Spring's path patterns
	 * (the matcher MVC itself uses) and Boot's binder (so a routes file is read like application.yml) as libraries.
	 */
	@Test
	void routingAndShapingAreFreeOfSpring() {
		noClasses().that()
			.resideInAnyPackage("dev.bffgateway.core.routing..", "dev.bffgateway.core.shaping..")
			.and()
			.haveNameNotMatching(".*AutoConfiguration.*")
			.and()
			.haveSimpleNameNotEndingWith("Properties")
			.and()
			.haveSimpleNameNotEndingWith("Endpoint")
			.should()
			.dependOnClassesThat(resideInAPackage("org.springframework..")
				.and(DescribedPredicate.not(resideInAnyPackage("org.springframework.web.util.pattern..",
						"org.springframework.http.server..", "org.springframework.boot.context.properties.bind..",
						"org.springframework.boot.context.properties.source..", "org.springframework.boot.env..",
						"org.springframework.core.env..", "org.springframework.core.io.."))))
			.check(CLASSES);
	}

	/** gateway-core's capabilities depend on each other in one direction only. */
	@Test
	void theCoreIsFreeOfCycles() {
		slices().matching("dev.bffgateway.core.(*)..").should().beFreeOfCycles().check(CLASSES);
	}

	private static String[] otherBffs(String bff) {
		return Stream.of("web", "mobile", "partner")
			.filter((other) -> !other.equals(bff))
			.map((other) -> "dev.bffgateway." + other + "..")
			.toArray(String[]::new);
	}

}
