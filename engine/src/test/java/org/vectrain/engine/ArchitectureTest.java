package org.vectrain.engine;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The engine's package structure (docs/architecture.md): no package cycles, nothing of the command line,
 * the scalar twins independent of the vector kernels, and the layers pointing one way, from the tools at
 * the top to the data and files at the bottom.
 */
@AnalyzeClasses(packages = "org.vectrain.engine", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** Every package, sub-packages apart (kernels, kernels.vector, ... are slices of their own). */
    @ArchTest
    static final ArchRule noCyclesBetweenPackages = slices().matching("org.vectrain.engine.(**)")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule engineKnowsNoCommandLine = noClasses().that().resideInAPackage("org.vectrain.engine..")
            .should().dependOnClassesThat().resideInAPackage("org.vectrain.cli..");

    @ArchTest
    static final ArchRule scalarTwinsStandAlone = noClasses().that()
            .resideInAPackage("org.vectrain.engine.kernels.scalar..")
            .should().dependOnClassesThat().resideInAPackage("org.vectrain.engine.kernels.vector..")
            .orShould().dependOnClassesThat().resideInAPackage("jdk.incubator.vector..");

    @ArchTest
    static final ArchRule referenceUsesNoFastPath = noClasses().that()
            .resideInAPackage("org.vectrain.engine.reference..")
            .should().dependOnClassesThat().resideInAnyPackage("org.vectrain.engine.kernels..",
                    "org.vectrain.engine.layout..", "org.vectrain.engine.model..", "org.vectrain.engine.train..");

    /**
     * The layers, top to bottom; a layer may use the ones below it and none above. Base is the root package
     * (InputException, Medians), which every layer may use.
     */
    @ArchTest
    static final ArchRule layersPointDown = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Tools").definedBy("org.vectrain.engine.bench..", "org.vectrain.engine.check..",
                    "org.vectrain.engine.compare..")
            .layer("Train").definedBy("org.vectrain.engine.train..")
            .layer("Eval").definedBy("org.vectrain.engine.eval..")
            .layer("Model").definedBy("org.vectrain.engine.model..")
            .layer("Reference").definedBy("org.vectrain.engine.reference..")
            .layer("Parallel").definedBy("org.vectrain.engine.parallel..")
            .layer("Kernels").definedBy("org.vectrain.engine.kernels..")
            .layer("Layout").definedBy("org.vectrain.engine.layout..")
            .layer("Data").definedBy("org.vectrain.engine.data..")
            .layer("Io").definedBy("org.vectrain.engine.io..")
            .layer("Base").definedBy("org.vectrain.engine")
            .whereLayer("Base").mayNotAccessAnyLayer()
            .whereLayer("Io").mayOnlyAccessLayers("Base")
            .whereLayer("Data").mayOnlyAccessLayers("Base")
            .whereLayer("Layout").mayOnlyAccessLayers("Data", "Base")
            .whereLayer("Kernels").mayOnlyAccessLayers("Layout", "Data", "Base")
            .whereLayer("Parallel").mayOnlyAccessLayers("Base")
            .whereLayer("Reference").mayOnlyAccessLayers("Data", "Base")
            .whereLayer("Model").mayOnlyAccessLayers("Data", "Io", "Base")
            .whereLayer("Eval").mayOnlyAccessLayers("Model", "Kernels", "Layout", "Parallel", "Data", "Base")
            .whereLayer("Train").mayOnlyAccessLayers("Eval", "Model", "Kernels", "Layout", "Parallel", "Data", "Io",
                    "Base")
            .whereLayer("Tools").mayOnlyAccessLayers("Train", "Eval", "Model", "Reference", "Parallel", "Kernels",
                    "Layout", "Data", "Io", "Base");

    /** Inside the kernels: the contract at the bottom, the two implementations on it, the provider on top. */
    @ArchTest
    static final ArchRule kernelsPointToTheContract = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Provider").definedBy("org.vectrain.engine.kernels.provider..")
            .layer("Vector").definedBy("org.vectrain.engine.kernels.vector..")
            .layer("Scalar").definedBy("org.vectrain.engine.kernels.scalar..")
            .layer("Contract").definedBy("org.vectrain.engine.kernels")
            .whereLayer("Contract").mayNotAccessAnyLayer()
            .whereLayer("Scalar").mayOnlyAccessLayers("Contract")
            .whereLayer("Vector").mayOnlyAccessLayers("Scalar", "Contract")
            .whereLayer("Provider").mayOnlyAccessLayers("Vector", "Scalar", "Contract");
}
