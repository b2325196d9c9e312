package org.vectrain.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The command line's packages point one way: the subcommands use the report and the benchmark runners, which
 * know nothing of the subcommands.
 */
@AnalyzeClasses(packages = "org.vectrain.cli", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noCyclesBetweenPackages = slices().matching("org.vectrain.cli.(**)")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule reportAndBenchKnowNoSubcommand = noClasses().that()
            .resideInAnyPackage("org.vectrain.cli.report..", "org.vectrain.cli.bench..")
            .should().dependOnClassesThat().resideInAPackage("org.vectrain.cli.commands..");
}
