import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A comparison that this shared, noisy machine cannot spoil: two sides, each a backend of a
 * benchmark jar (jmh/target/benchmarks.jar of some build), are loaded side by side in one JVM, each
 * in its own class loader, and write the same file alternately (A B, then B A, ...), so that
 * whatever slows the machine down slows both alike. Two builds with one backend give a before/after
 * ratio; one build with two backends gives arrow against parquet-mr. Each file is written as
 * EncoderCrossoverBenchmark writes one (the jar's own FileWriting.write over its own InputTable of
 * the data set), after 6 files of warm-up per side. Prints each side's minimum and median file time
 * and the median and quartiles of the per-pair ratio A/B (above 1: B is faster).
 *
 * <pre>
 * taskset -c 0 java --add-opens=java.base/java.nio=ALL-UNNAMED -Xmx5g -XX:ActiveProcessorCount=1 \
 *   -XX:+UseG1GC jmh/SameJvmAlternation.java logs 30 arrow@before.jar arrow@after.jar
 * </pre>
 *
 * Arguments: data set (logs, reviews), number of pairs, side A, side B, each BACKEND@JAR. Rows per
 * file: 400,000, or the system property {@code rows}.
 */
public class SameJvmAlternation {
  private static final int WARM_UP = 6;

  /** One jar's encoder, input and output, reached by reflection inside its own class loader. */
  static final class Side {
    final String name;
    final ClassLoader loader;
    final Object provider;
    final Object options;
    final Object table;
    final Object out;
    final Method write;
    final int rows;

    Side(Path jar, String dataset, String backend, int rows) throws Exception {
      this.name = backend + "@" + jar;
      this.rows = rows;
      this.loader =
          new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
      Thread.currentThread().setContextClassLoader(loader);
      Class<?> datasets = loader.loadClass("dev.parquetingest.datagen.Dataset");
      Object data = datasets.getMethod("of", String.class).invoke(null, dataset);
      Method load =
          loader
              .loadClass("dev.parquetingest.jmh.InputData")
              .getDeclaredMethod("load", datasets, int.class);
      load.setAccessible(true);
      this.table = load.invoke(null, data, rows);
      this.provider =
          loader
              .loadClass("dev.parquetingest.internal.Encoders")
              .getMethod("find", String.class)
              .invoke(null, backend);
      Object builder =
          loader.loadClass("dev.parquetingest.spi.EncoderOptions").getMethod("builder").invoke(null);
      builder =
          builder
              .getClass()
              .getMethod("expectedRowsPerFile", long.class)
              .invoke(builder, (long) rows);
      this.options = builder.getClass().getMethod("build").invoke(builder);
      Constructor<?> sink =
          loader
              .loadClass("dev.parquetingest.jmh.CountingNullOutputStream")
              .getDeclaredConstructor();
      sink.setAccessible(true);
      this.out = sink.newInstance();
      Method found = null;
      for (Method m : loader.loadClass("dev.parquetingest.jmh.FileWriting").getDeclaredMethods()) {
        if (m.getName().equals("write")) {
          found = m;
        }
      }
      if (found == null) {
        throw new IllegalStateException("Cannot find FileWriting.write in " + jar);
      }
      found.setAccessible(true);
      this.write = found;
    }

    /** Writes one file; returns its time in milliseconds. */
    double file() throws Exception {
      Thread.currentThread().setContextClassLoader(loader);
      long start = System.nanoTime();
      write.invoke(null, provider, options, table, rows, out);
      return (System.nanoTime() - start) / 1e6;
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 4 || !args[2].contains("@") || !args[3].contains("@")) {
      System.err.println("Usage: SameJvmAlternation DATASET PAIRS BACKEND@JAR BACKEND@JAR");
      System.exit(2);
    }
    String dataset = args[0];
    int pairs = Integer.parseInt(args[1]);
    int rows = Integer.getInteger("rows", 400_000);
    List<Side> sides = new ArrayList<>();
    for (int i = 2; i < 4; i++) {
      int at = args[i].indexOf('@');
      sides.add(
          new Side(
              Path.of(args[i].substring(at + 1)), dataset, args[i].substring(0, at), rows));
    }
    for (int w = 0; w < WARM_UP; w++) {
      for (Side s : sides) {
        s.file();
      }
    }
    double[][] times = new double[2][pairs];
    for (int p = 0; p < pairs; p++) {
      int first = p % 2;
      times[first][p] = sides.get(first).file();
      times[1 - first][p] = sides.get(1 - first).file();
    }
    for (int k = 0; k < 2; k++) {
      double[] sorted = times[k].clone();
      Arrays.sort(sorted);
      System.out.printf(
          Locale.ROOT,
          "%s %s: min %.0f ms, median %.0f ms per %,d-row file%n",
          k == 0 ? "A" : "B",
          dataset,
          sorted[0],
          sorted[pairs / 2],
          rows);
    }
    double[] ratios = new double[pairs];
    for (int p = 0; p < pairs; p++) {
      ratios[p] = times[0][p] / times[1][p];
    }
    Arrays.sort(ratios);
    System.out.printf(
        Locale.ROOT,
        "A = %s%nB = %s%nfile time A/B per pair: median %.3f (quartiles %.3f-%.3f, %d pairs)%n",
        sides.get(0).name,
        sides.get(1).name,
        ratios[pairs / 2],
        ratios[pairs / 4],
        ratios[(3 * pairs) / 4],
        pairs);
  }
}
