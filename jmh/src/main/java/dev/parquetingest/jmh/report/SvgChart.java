package dev.parquetingest.jmh.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart of rows per second against rows per file (logarithmic x axis), written as a
 * self-contained SVG: one line per series, a min–max bar at each point, a legend. Just enough for
 * the benchmark report, with no charting library. Not thread-safe.
 */
final class SvgChart {
  private static final int WIDTH = 760;
  private static final int HEIGHT = 440;
  private static final int LEFT = 80;
  private static final int RIGHT = 190;
  private static final int TOP = 40;
  private static final int BOTTOM = 60;

  /** One line: a label, a colour, dashed or not, and its points. */
  static final class Series {
    final String label;
    final String colour;
    final boolean dashed;
    final List<double[]> points = new ArrayList<>();

    Series(String label, String colour, boolean dashed) {
      this.label = label;
      this.colour = colour;
      this.dashed = dashed;
    }

    /** Adds a point: x, y and the y range measured (min, max). */
    Series add(double x, double y, double min, double max) {
      points.add(new double[] {x, y, min, max});
      return this;
    }
  }

  private final String title;
  private final List<Series> series = new ArrayList<>();

  SvgChart(String title) {
    this.title = title;
  }

  SvgChart add(Series s) {
    series.add(s);
    return this;
  }

  String render() {
    double xMin = Double.POSITIVE_INFINITY;
    double xMax = Double.NEGATIVE_INFINITY;
    double yMax = 0;
    for (Series s : series) {
      for (double[] p : s.points) {
        xMin = Math.min(xMin, p[0]);
        xMax = Math.max(xMax, p[0]);
        yMax = Math.max(yMax, Math.max(p[1], p[3]));
      }
    }
    if (xMin >= xMax) {
      xMax = xMin * 10;
    }
    double step = niceStep(yMax / 5);
    double yTop = Math.max(step, Math.ceil(yMax / step) * step);
    double lx0 = Math.log10(xMin);
    double lx1 = Math.log10(xMax);
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;

    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n",
            WIDTH,
            HEIGHT,
            WIDTH,
            HEIGHT));
    svg.append(
        String.format(
            Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"22\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
            LEFT,
            escape(title)));
    for (double y = 0; y <= yTop + step / 2; y += step) {
      double py = TOP + plotH - y / yTop * plotH;
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
              LEFT,
              py,
              LEFT + plotW,
              py));
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
              LEFT - 6,
              py + 4,
              thousands(y)));
    }
    List<Double> xs = new ArrayList<>();
    for (Series s : series) {
      for (double[] p : s.points) {
        if (!xs.contains(p[0])) {
          xs.add(p[0]);
        }
      }
    }
    for (double x : xs) {
      double px = LEFT + (Math.log10(x) - lx0) / (lx1 - lx0) * plotW;
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>%n",
              px,
              TOP,
              px,
              TOP + plotH));
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
              px,
              TOP + plotH + 18,
              thousands(x)));
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>%n",
            LEFT,
            TOP,
            plotW,
            plotH));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">rows per file (N, log scale)</text>%n",
            LEFT + plotW / 2,
            HEIGHT - 18));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text transform=\"translate(18 %d) rotate(-90)\" text-anchor=\"middle\">rows/s</text>%n",
            TOP + plotH / 2));

    int legendY = TOP + 10;
    for (Series s : series) {
      StringBuilder path = new StringBuilder();
      for (double[] p : s.points) {
        double px = LEFT + (Math.log10(p[0]) - lx0) / (lx1 - lx0) * plotW;
        double py = TOP + plotH - p[1] / yTop * plotH;
        path.append(path.length() == 0 ? "M" : " L")
            .append(String.format(Locale.ROOT, "%.1f %.1f", px, py));
        double pMin = TOP + plotH - p[2] / yTop * plotH;
        double pMax = TOP + plotH - p[3] / yTop * plotH;
        svg.append(
            String.format(
                Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1\"/>%n",
                px,
                pMin,
                px,
                pMax,
                s.colour));
        svg.append(
            String.format(
                Locale.ROOT,
                "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>%n",
                px,
                py,
                s.colour));
      }
      String dash = s.dashed ? " stroke-dasharray=\"6 4\"" : "";
      svg.append(
          String.format(
              Locale.ROOT,
              "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
              path,
              s.colour,
              dash));
      int lx = LEFT + plotW + 14;
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
              lx,
              legendY,
              lx + 26,
              legendY,
              s.colour,
              dash));
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\">%s</text>%n",
              lx + 32,
              legendY + 4,
              escape(s.label)));
      legendY += 20;
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" fill=\"#666\">bars: min–max of the</text>%n",
            LEFT + plotW + 14,
            legendY + 10));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" fill=\"#666\">measured iterations</text>%n",
            LEFT + plotW + 14,
            legendY + 26));
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static double niceStep(double raw) {
    if (raw <= 0) {
      return 1;
    }
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * magnitude >= raw) {
        return m * magnitude;
      }
    }
    return 10 * magnitude;
  }

  private static String thousands(double v) {
    if (v >= 1000 && v % 1000 == 0) {
      return String.format(Locale.ROOT, "%,.0fK", v / 1000);
    }
    return String.format(Locale.ROOT, "%,.0f", v);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
