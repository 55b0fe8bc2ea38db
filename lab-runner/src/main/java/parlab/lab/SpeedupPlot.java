package parlab.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The pictures of a benchmark run an instructor can put on a slide. When the baseline is a numeric parameter
 * ({@code threads=1}) there are two: the speedup curve against that parameter, with the ideal linear speedup
 * beside it, and the scaling efficiency (speedup divided by the ideal). Otherwise one bar chart of each variant's
 * speedup over the baseline method. With a reference run, its series are drawn beside the learner's.
 */
final class SpeedupPlot {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;

    private SpeedupPlot() {
    }

    /** Draws the plots of {@code rows} (and {@code reference}, if any) into {@code dir}; returns the files. */
    static List<Path> write(Path dir, Exercise e, List<BenchCommand.Row> rows, List<BenchCommand.Row> reference) {
        if (e.baseline() == null || rows.isEmpty()) {
            return List.of();
        }
        System.setProperty("java.awt.headless", "true");
        try {
            Files.createDirectories(dir);
            int eq = e.baseline().indexOf('=');
            if (eq > 0 && numeric(rows, e.baseline().substring(0, eq))) {
                return scaling(dir, e, e.baseline().substring(0, eq), rows, reference);
            }
            return bars(dir, e, rows, reference);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static boolean numeric(List<BenchCommand.Row> rows, String param) {
        return rows.stream().allMatch(r -> r.params().containsKey(param)
                && r.params().get(param).matches("\\d+(\\.\\d+)?"));
    }

    /** Speedup and efficiency against a numeric parameter, one line per method and other parameters. */
    private static List<Path> scaling(Path dir, Exercise e, String param, List<BenchCommand.Row> rows,
            List<BenchCommand.Row> reference) throws IOException {
        double base = Double.parseDouble(e.baseline().substring(e.baseline().indexOf('=') + 1));
        Map<String, TreeMap<Double, Double>> speedups = new LinkedHashMap<>();
        collect(speedups, param, rows, e, "");
        if (reference != null) {
            collect(speedups, param, reference, e, " (reference)");
        }
        double maxX = speedups.values().stream().mapToDouble(TreeMap::lastKey).max().orElse(base);

        String xTitle = param + " (this machine: " + Runtime.getRuntime().availableProcessors() + " cores)";
        XYChart speedup = xy(e, "Speedup over " + e.baseline(), xTitle, "speedup (x)");
        ideal(speedup.addSeries("ideal", new double[] {base, maxX}, new double[] {1, maxX / base}));
        XYChart efficiency = xy(e, "Scaling efficiency (speedup / ideal)", xTitle, "efficiency (%)");
        ideal(efficiency.addSeries("ideal", new double[] {base, maxX}, new double[] {100, 100}));
        speedups.forEach((name, points) -> {
            List<Double> xs = new ArrayList<>(points.keySet());
            List<Double> ys = new ArrayList<>(points.values());
            speedup.addSeries(name, xs, ys);
            List<Double> eff = new ArrayList<>();
            points.forEach((x, y) -> eff.add(100 * y / (x / base)));
            efficiency.addSeries(name, xs, eff);
        });
        return List.of(save(speedup, dir.resolve("speedup.png")), save(efficiency, dir.resolve("efficiency.png")));
    }

    /** The ideal is drawn as a grey dashed line, so the measured series keep the same colours in both charts. */
    private static void ideal(XYSeries series) {
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(java.awt.Color.GRAY);
        series.setLineStyle(new java.awt.BasicStroke(1.5f, java.awt.BasicStroke.CAP_BUTT,
                java.awt.BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
    }

    private static void collect(Map<String, TreeMap<Double, Double>> into, String param, List<BenchCommand.Row> rows,
            Exercise e, String suffix) {
        for (BenchCommand.Row row : rows) {
            BenchCommand.Row base = BenchCommand.baselineOf(row, rows, e.baseline());
            if (base == null) {
                continue;
            }
            Map<String, String> others = new LinkedHashMap<>(row.params());
            others.remove(param);
            String name = row.method() + (others.isEmpty() ? "" : " " + others.toString().replaceAll("[{}]", ""))
                    + suffix;
            into.computeIfAbsent(name, k -> new TreeMap<>())
                    .put(Double.parseDouble(row.params().get(param)), BenchCommand.speedup(row, base));
        }
    }

    /** Bars grouped by parameters (threads=1, threads=2…), one colour per method: its speedup over the baseline. */
    private static List<Path> bars(Path dir, Exercise e, List<BenchCommand.Row> rows, List<BenchCommand.Row> reference)
            throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(e.code() + " " + e.id() + ": speedup over " + e.baseline())
                .xAxisTitle("parameters").yAxisTitle("speedup (x)").build();
        style(chart.getStyler());
        List<String> groups = rows.stream().map(r -> r.paramsText().isEmpty() ? "run" : r.paramsText())
                .distinct().toList();
        int series = addBars(chart, groups, rows, e, "");
        if (reference != null) {
            series += addBars(chart, groups, reference, e, " (reference)");
        }
        return series == 0 ? List.of() : List.of(save(chart, dir.resolve("speedup.png")));
    }

    private static int addBars(CategoryChart chart, List<String> groups, List<BenchCommand.Row> rows, Exercise e,
            String suffix) {
        Map<String, Double[]> byMethod = new LinkedHashMap<>();
        for (BenchCommand.Row row : rows) {
            BenchCommand.Row base = BenchCommand.baselineOf(row, rows, e.baseline());
            int group = groups.indexOf(row.paramsText().isEmpty() ? "run" : row.paramsText());
            if (base != null && group >= 0) {
                byMethod.computeIfAbsent(row.method(), k -> new Double[groups.size()])[group] =
                        BenchCommand.speedup(row, base);
            }
        }
        byMethod.forEach((method, values) -> {
            List<Double> ys = new ArrayList<>();
            for (Double v : values) {
                ys.add(v == null ? 0.0 : v);
            }
            chart.addSeries(method + suffix, groups, ys);
        });
        return byMethod.size();
    }

    private static XYChart xy(Exercise e, String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(e.code() + " " + e.id() + ": " + title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setYAxisMin(0.0);
        return chart;
    }

    private static void style(Styler styler) {
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setChartBackgroundColor(java.awt.Color.WHITE);
    }

    private static Path save(Chart<?, ?> chart, Path file) throws IOException {
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }
}
