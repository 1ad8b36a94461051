package dev.parquetingest;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The tiers of core, enforced: the API a user calls, the SPI a plug-in implements, the schema and
 * partition model both share, and the runtime and internal packages nobody outside the module
 * imports. Read from core's main classes.
 *
 * <p>The root package holds three tiers of its own, told apart by class: the facade ({@code
 * ParquetIngest}, {@code IngestHandle}, {@code Sinks}), the run's results ({@code IngestReport},
 * {@code IngestMetrics}, {@code ProgressListener}) and the base types everything may use (the
 * exceptions, {@code DataSize}, {@code BadRecordPolicy}). Dependencies between the tiers must not
 * form a cycle. Every root class is named in exactly one tier, so a new one is placed on purpose.
 *
 * <p>Why tiers by class and not packages: the base types are public API in the root package (users
 * import {@code dev.parquetingest.DataSize} and catch {@code dev.parquetingest.IngestException}),
 * the runtime and the SPI must use them, and the facade in the same package uses the runtime.
 * Packages alone would form a cycle root ↔ runtime that only moving public types would break; see
 * docs/architecture.md.
 */
class ArchitectureTest {
  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.parquetingest");

  private static final Set<String> FACADE =
      Set.of("ParquetIngest", "PipelineOptions", "IngestHandle", "Sinks");
  private static final Set<String> RESULTS =
      Set.of("IngestReport", "IngestMetrics", "ProgressListener");
  private static final Set<String> BASE =
      Set.of(
          "BadInputException",
          "BadRecordException",
          "BadRecordPolicy",
          "DataSize",
          "FileCommitListener",
          "IngestException");

  /** The outermost class's simple name. */
  private static String topLevel(JavaClass c) {
    String name = c.getName().substring(c.getPackageName().length() + 1);
    int dollar = name.indexOf('$');
    return dollar < 0 ? name : name.substring(0, dollar);
  }

  /** A class's tier: its package below dev.parquetingest, or for the root package its role. */
  private static final SliceAssignment TIERS =
      new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
          String pkg = c.getPackageName();
          if (!pkg.startsWith("dev.parquetingest")) {
            return SliceIdentifier.ignore();
          }
          if (pkg.equals("dev.parquetingest")) {
            String top = topLevel(c);
            if (FACADE.contains(top)) {
              return SliceIdentifier.of("facade");
            }
            if (RESULTS.contains(top)) {
              return SliceIdentifier.of("results");
            }
            return SliceIdentifier.of(BASE.contains(top) ? "base" : "unplaced");
          }
          return SliceIdentifier.of(pkg.substring("dev.parquetingest.".length()).split("\\.")[0]);
        }

        @Override
        public String getDescription() {
          return "the tiers of core";
        }
      };

  @Test
  void theRulesSeeCoresClasses() {
    org.assertj.core.api.Assertions.assertThat(
            CORE.contain(ParquetIngest.class.getName())
                && CORE.contain("dev.parquetingest.runtime.Run")
                && CORE.contain("dev.parquetingest.spi.Source"))
        .isTrue();
  }

  @Test
  void everyRootClassIsPlacedInOneTier() {
    Set<String> roots = new java.util.TreeSet<>();
    for (JavaClass c : CORE) {
      if (c.getPackageName().equals("dev.parquetingest")) {
        roots.add(topLevel(c));
      }
    }
    Set<String> placed = new java.util.TreeSet<>(FACADE);
    placed.addAll(RESULTS);
    placed.addAll(BASE);
    org.assertj.core.api.Assertions.assertThat(roots).isEqualTo(placed);
    org.assertj.core.api.Assertions.assertThat(FACADE.size() + RESULTS.size() + BASE.size())
        .isEqualTo(placed.size());
  }

  @Test
  void theBaseTypesDependOnNoOtherTierOfCore() {
    noClasses()
        .that(
            com.tngtech.archunit.base.DescribedPredicate.describe(
                "the base types",
                (JavaClass c) ->
                    c.getPackageName().equals("dev.parquetingest") && BASE.contains(topLevel(c))))
        .should()
        .dependOnClassesThat(
            com.tngtech.archunit.base.DescribedPredicate.describe(
                "core outside the base types",
                (JavaClass type) -> {
                  JavaClass c = type.getBaseComponentType();
                  return c.getPackageName().startsWith("dev.parquetingest")
                      && !(c.getPackageName().equals("dev.parquetingest")
                          && BASE.contains(topLevel(c)));
                }))
        .check(CORE);
  }

  @Test
  void theTiersDoNotDependOnEachOtherInACycle() {
    slices().assignedFrom(TIERS).should().beFreeOfCycles().check(CORE);
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
  void theRuntimeNeverReachesBackIntoTheFacadeOrTheResults() {
    noClasses()
        .that()
        .resideInAPackage("dev.parquetingest.runtime..")
        .should()
        .dependOnClassesThat(
            com.tngtech.archunit.base.DescribedPredicate.describe(
                "the facade or the results",
                (JavaClass c) ->
                    c.getPackageName().equals("dev.parquetingest")
                        && (FACADE.contains(topLevel(c)) || RESULTS.contains(topLevel(c)))))
        .check(CORE);
  }

  @Test
  void onlyTheFacadeAndTheResultsUseTheRuntime() {
    classes()
        .that()
        .resideInAPackage("dev.parquetingest.runtime..")
        .should()
        .onlyHaveDependentClassesThat(
            com.tngtech.archunit.base.DescribedPredicate.describe(
                "the runtime, the facade or the results",
                (JavaClass c) ->
                    c.getPackageName().startsWith("dev.parquetingest.runtime")
                        || (c.getPackageName().equals("dev.parquetingest")
                            && (FACADE.contains(topLevel(c)) || RESULTS.contains(topLevel(c))))))
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
