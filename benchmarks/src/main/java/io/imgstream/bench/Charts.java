package io.imgstream.bench;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.MinMaxCategoryRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The PNG charts {@code ./bench} writes to {@code charts/} beside BENCHMARKS.md: pictures of the tables it prints (the
 * numbers stay in the tables).
 */
final class Charts {

    private static final Color OURS = new Color(0x2f6db5);
    private static final Color PEER = new Color(0x9a9a9a);
    private static final Color FLOOR = new Color(0x3a9b52);

    private Charts() {
    }

    static Path directory(Path root) throws IOException {
        return Files.createDirectories(root.resolve("charts"));
    }

    /** Cold start per target: median bars, min–max whiskers, the floor's median as a line; unavailable peers left out. */
    static Path coldStart(Path root, List<ColdStartSuite.Row> rows, int runs) throws IOException {
        DefaultCategoryDataset medians = new DefaultCategoryDataset();
        DefaultCategoryDataset range = new DefaultCategoryDataset();
        double floor = Double.NaN;
        StringBuilder missing = new StringBuilder();
        for (ColdStartSuite.Row r : rows) {
            if (r.unavailable() != null) {
                missing.append(missing.length() == 0 ? "" : ", ").append(r.name());
                continue;
            }
            medians.addValue(r.first().median(), "median", r.name());
            range.addValue(r.first().min(), "min", r.name());
            range.addValue(r.first().max(), "max", r.name());
            if (r.kind() == ColdStartSuite.Kind.FLOOR) {
                floor = r.first().median();
            }
        }
        CategoryAxis categories = new CategoryAxis(null);
        categories.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        NumberAxis seconds = new NumberAxis("seconds from process launch to first 2xx");
        BarRenderer bars = new BarRenderer() {
            @Override
            public java.awt.Paint getItemPaint(int row, int column) {
                ColdStartSuite.Row r = rows.stream().filter(x -> x.unavailable() == null).toList().get(column);
                return switch (r.kind()) {
                    case FLOOR -> FLOOR;
                    case PEER -> PEER;
                    case OURS -> OURS;
                };
            }
        };
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        CategoryPlot plot = new CategoryPlot(medians, categories, seconds, bars);
        MinMaxCategoryRenderer whiskers = new MinMaxCategoryRenderer();
        whiskers.setDrawLines(false);
        whiskers.setGroupStroke(new BasicStroke(2f));
        whiskers.setGroupPaint(Color.BLACK);
        plot.setDataset(1, range);
        plot.setRenderer(1, whiskers);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        if (!Double.isNaN(floor)) {
            ValueMarker marker = new ValueMarker(floor, FLOOR, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                    10f, new float[]{6f, 4f}, 0f));
            marker.setLabel(String.format("floor %.2f s", floor));
            marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            marker.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
            plot.addRangeMarker(marker);
        }
        String title = String.format("Cold start, median of %d interleaved runs (whiskers: min–max), %s", runs, LocalDate.now());
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        if (missing.length() > 0) {
            chart.addSubtitle(new org.jfree.chart.title.TextTitle("unavailable (see the table): " + missing));
        }
        chart.setBackgroundPaint(Color.WHITE);
        Path file = directory(root).resolve("coldstart.png");
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 560);
        return file;
    }

    /**
     * Lines of y against x, one series per entry, log-scaled x (library sizes, page depths span decades).
     *
     * @param series name → points {x, y}
     */
    static Path lines(Path root, String fileName, String title, String xLabel, String yLabel, Map<String, double[][]> series)
            throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        series.forEach((name, points) -> {
            XYSeries s = new XYSeries(name);
            for (double[] p : points) {
                s.add(p[0], p[1]);
            }
            data.addSeries(s);
        });
        LogAxis x = new LogAxis(xLabel);
        x.setBase(10);
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setNumberFormatOverride(new java.text.DecimalFormat("#,##0"));
        NumberAxis y = new NumberAxis(yLabel);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title + ", " + LocalDate.now(), JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        Path file = directory(root).resolve(fileName);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 520);
        return file;
    }
}
