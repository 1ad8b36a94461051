package dev.parquetingest;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

/**
 * The tiers of core, enforced on core's main classes (read from bytecode, so a Javadoc link is not
 * a dependency):
 *
 * <pre>
 *   dev.parquetingest  the facade and the run's results (ParquetIngest, IngestHandle, ...)
 *   runtime            the run; only the facade uses it
 *   internal           helpers of the module (encoder lookup, local sink, JSON)
 *   partition          the partition model
 *   spi                what plug-ins implement
 *   schema             the row model
 *   common             the types every tier shares: exceptions, DataSize, FileCommitListener
 * </pre>
 *
 * A package uses only packages below it in this list, so the package graph has no cycle; the root
 * package counts as a package of its own (a plain {@code
 * slices().matching("dev.parquetingest.(*)..")} would leave it out, and with it the old cycle root
 * ↔ runtime). See docs/architecture.md.
 */
class ArchitectureTest {
  private static final String ROOT = "dev.parquetingest";

  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages(ROOT);

  /**
   * One slice per package directly below {@code root}, everything deeper in its first-level
   * package, and the root package as a slice of its own.
   */
  static SliceAssignment packagesBelow(String root) {
    return new SliceAssignment() {
      @Override
      public SliceIdentifier getIdentifierOf(JavaClass c) {
        String pkg = c.getPackageName();
        if (pkg.equals(root)) {
          return SliceIdentifier.of("(root) " + root);
        }
        if (!pkg.startsWith(root + ".")) {
          return SliceIdentifier.ignore();
        }
        return SliceIdentifier.of(root + "." + pkg.substring(root.length() + 1).split("\\.")[0]);
      }

      @Override
      public String getDescription() {
        return "the packages of " + root + " (the root package included)";
      }
    };
  }

  static ArchRule noPackageCycles(String root) {
    return slices().assignedFrom(packagesBelow(root)).should().beFreeOfCycles();
  }

  @Test
  void theRulesSeeCoresClasses() {
    assertThat(
            CORE.contain(ParquetIngest.class.getName())
                && CORE.contain("dev.parquetingest.runtime.Run")
                && CORE.contain("dev.parquetingest.spi.Source")
                && CORE.contain("dev.parquetingest.common.IngestException"))
        .isTrue();
  }

  @Test
  void thePackagesOfCoreDependOnEachOtherWithoutACycle() {
    noPackageCycles(ROOT).check(CORE);
  }

  @Test
  void theCycleRuleCatchesACycleThroughTheRootPackage() {
    // A deliberate cycle between a root package and the package below it (test classes): the rule
    // that guards core must see it, which it would not if the root package were not a slice.
    JavaClasses fixture =
        new ClassFileImporter().importPackages("dev.parquetingest.testing.cyclefixture");
    assertThat(fixture.contain("dev.parquetingest.testing.cyclefixture.Top")).isTrue();
    assertThatThrownBy(
            () -> noPackageCycles("dev.parquetingest.testing.cyclefixture").check(fixture))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Cycle detected")
        .hasMessageContaining("(root) dev.parquetingest.testing.cyclefixture");
  }

  @Test
  void nothingBelowTheFacadeDependsOnIt() {
    noClasses()
        .that()
        .resideOutsideOfPackage(ROOT)
        .should()
        .dependOnClassesThat()
        .resideInAPackage(ROOT)
        .check(CORE);
  }

  @Test
  void theSharedTypesDependOnNoOtherPackageOfCore() {
    noClasses()
        .that()
        .resideInAPackage("dev.parquetingest.common..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            ROOT,
            "dev.parquetingest.runtime..",
            "dev.parquetingest.internal..",
            "dev.parquetingest.spi..",
            "dev.parquetingest.schema..",
            "dev.parquetingest.partition..")
        .check(CORE);
  }

  @Test
  void theSpiSchemaAndPartitionsKnowNothingOfTheRuntime() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.parquetingest.spi..",
            "dev.parquetingest.schema..",
            "dev.parquetingest.partition..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.parquetingest.runtime..", "dev.parquetingest.internal..")
        .check(CORE);
  }

  @Test
  void onlyTheFacadeUsesTheRuntime() {
    classes()
        .that()
        .resideInAPackage("dev.parquetingest.runtime..")
        .should()
        .onlyHaveDependentClassesThat()
        .resideInAnyPackage(ROOT, "dev.parquetingest.runtime..")
        .check(CORE);
  }

  @Test
  void internalClassesServeTheModuleButNotTheSpi() {
    noClasses()
        .that()
        .resideInAPackage("dev.parquetingest.internal..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.parquetingest.runtime..")
        .check(CORE);
  }
}
