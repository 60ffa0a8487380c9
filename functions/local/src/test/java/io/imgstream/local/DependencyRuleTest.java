package io.imgstream.local;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layering of the product's production classes, pinned (thombergs/buckpal's DependencyRuleTests): the domain is
 * plain Java; use cases never reach into an adapter or the web layer; the functions compose use cases and never name
 * an adapter (only this emulator, the local composition root, does); the shared library never needs dev tooling; no
 * package cycles. Reads every module's compiled classes (this module builds last), so a rule broken anywhere fails here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DependencyRuleTest {

    private static final List<String> MODULES = List.of("shared", "dev", "functions/upload", "functions/fetch",
            "functions/collision-check", "functions/cleanup", "functions/local");
    private static final String[] FUNCTIONS = {"io.imgstream.upload..", "io.imgstream.fetch..",
            "io.imgstream.collisioncheck..", "io.imgstream.cleanup.."};

    private JavaClasses classes;

    @BeforeAll
    void importProductionClasses() {
        ClassFileImporter importer = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS);
        List<Path> roots = MODULES.stream().map(m -> TerraformFiles.ROOT.resolve(m).resolve("target/classes")).toList();
        for (Path root : roots) {
            assertTrue(Files.isDirectory(root.resolve("io/imgstream")), root + " holds no compiled classes: build the"
                    + " whole reactor (mvn verify from the repository root) before this test");
        }
        classes = importer.importPaths(roots);
    }

    @Test
    void theDomainIsPlainJava() {
        check(classes().that().resideInAPackage("io.imgstream.domain..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.imgstream.domain..", "java.."));
    }

    @Test
    void useCasesNeverReachIntoAnAdapterOrTheWeb() {
        check(noClasses().that().resideInAPackage("io.imgstream.application..")
                .should().dependOnClassesThat().resideInAnyPackage("io.imgstream.adapter..", "io.imgstream.web..",
                        "io.micronaut.http.."));
    }

    @Test
    void portsAreInterfaces() {
        check(classes().that().resideInAPackage("io.imgstream.application.port..").and().areTopLevelClasses()
                .and().areNotAssignableTo(RuntimeException.class)
                .should().beInterfaces());
    }

    @Test
    void adaptersServePortsNotTheWeb() {
        check(noClasses().that().resideInAPackage("io.imgstream.adapter..")
                .should().dependOnClassesThat().resideInAnyPackage("io.imgstream.web.."));
        check(noClasses().that().resideInAPackage("io.imgstream.web..")
                .should().dependOnClassesThat().resideInAnyPackage("io.imgstream.adapter.."));
    }

    @Test
    void functionsComposeUseCasesAndNeverNameAnAdapter() {
        check(noClasses().that().resideInAnyPackage(FUNCTIONS)
                .should().dependOnClassesThat().resideInAnyPackage("io.imgstream.adapter..", "io.imgstream.dev..",
                        "io.imgstream.local.."));
    }

    @Test
    void functionsDoNotDependOnEachOther() {
        check(slices().matching("io.imgstream.(upload|fetch|collisioncheck|cleanup)..").should().notDependOnEachOther());
    }

    @Test
    void theLibraryNeverNeedsDevTooling() {
        check(noClasses().that().resideInAnyPackage("io.imgstream.domain..", "io.imgstream.application..",
                        "io.imgstream.adapter..", "io.imgstream.web..", "io.imgstream.config..", "io.imgstream.logging..")
                .should().dependOnClassesThat().resideInAnyPackage("io.imgstream.dev..", "io.imgstream.local..",
                        "io.zonky..", "org.flywaydb..", "com.google.cloud.functions.invoker.."));
        check(noClasses().that().resideInAPackage("io.imgstream.dev..")
                .should().dependOnClassesThat().resideInAnyPackage("io.imgstream.domain..", "io.imgstream.application..",
                        "io.imgstream.adapter..", "io.imgstream.web..", "io.imgstream.config.."));
    }

    @Test
    void noPackageCycles() {
        check(slices().matching("io.imgstream.(*)..").should().beFreeOfCycles());
        check(slices().matching("io.imgstream.application.(*)..").should().beFreeOfCycles());
    }

    private void check(ArchRule rule) {
        rule.check(classes);
    }
}
