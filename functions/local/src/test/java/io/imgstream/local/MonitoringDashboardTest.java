package io.imgstream.local;

import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * terraform/dashboard.json, the google_monitoring_dashboard's JSON (a templatefile): valid JSON as kept, valid JSON once
 * Terraform has filled it in, every widget the issue lists, every placeholder one monitoring.tf passes, and the metrics it
 * charts the ones the module and the code produce.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitoringDashboardTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("(?<!\\$)\\$\\{([a-z_]+)}");
    private String template;
    private Map<String, Object> rendered;
    private List<Map<String, Object>> widgets;

    @BeforeAll
    @SuppressWarnings("unchecked")
    void load() throws Exception {
        template = Files.readString(TerraformFiles.MODULE.resolve("dashboard.json"));
        Map<String, String> sample = new HashMap<>();
        for (String name : templateVariables()) {
            sample.put(name, name.equals("sql_max_connections") ? "200" : "sample-" + name.replace('_', '-'));
        }
        // What templatefile does: ${name} → its value, $${ → ${.
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(sample.getOrDefault(m.group(1), m.group())));
        }
        m.appendTail(out);
        rendered = JsonMapper.createDefault().readValue(out.toString().replace("$${", "${").getBytes(StandardCharsets.UTF_8), Map.class);
        widgets = new ArrayList<>();
        for (Map<String, Object> tile : (List<Map<String, Object>>) ((Map<String, Object>) rendered.get("mosaicLayout")).get("tiles")) {
            widgets.add((Map<String, Object>) tile.get("widget"));
        }
    }

    /** The variables monitoring.tf passes to templatefile("dashboard.json", { … }). */
    private static Set<String> templateVariables() throws Exception {
        String monitoring = Files.readString(TerraformFiles.MODULE.resolve("monitoring.tf"));
        Matcher call = Pattern.compile("templatefile\\(\"\\$\\{path\\.module}/dashboard\\.json\", \\{(.*?)\\n  }\\)", Pattern.DOTALL)
                .matcher(monitoring);
        assertTrue(call.find(), "monitoring.tf renders dashboard.json with templatefile");
        Set<String> names = new LinkedHashSet<>();
        Matcher key = Pattern.compile("(?m)^\\s*([a-z_]+)\\s*=").matcher(call.group(1));
        while (key.find()) {
            names.add(key.group(1));
        }
        return names;
    }

    @Test
    void theFileAsKeptIsValidJson() throws Exception {
        Map<?, ?> raw = JsonMapper.createDefault().readValue(template.getBytes(StandardCharsets.UTF_8), Map.class);
        assertNotNull(raw.get("mosaicLayout"));
        assertEquals("${title}", raw.get("displayName"));
    }

    @Test
    void everyPlaceholderIsOneMonitoringTfPassesAndEveryOneItPassesIsUsed() throws Exception {
        Set<String> used = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            used.add(m.group(1));
        }
        assertEquals(templateVariables(), used);
        assertTrue(template.contains("\"$${labels.service_name}\""), "the chart's own legend variable is escaped from templatefile");
        assertTrue(!template.contains("%{"), "no template directives");
    }

    private List<String> titles() {
        return widgets.stream().map(w -> String.valueOf(w.get("title"))).toList();
    }

    /** The widgets of the issue: requests, 5xx, latency p50/p99 per function, cold starts, upload bytes, collision-check
     * batch sizes and results, cleanup summaries, Cloud SQL connections. */
    @Test
    void hasEveryWidgetTheIssueAsksFor() {
        List<String> titles = titles();
        for (String wanted : List.of("Requests per function", "5xx responses per function", "Latency p50 per function",
                "Latency p99 per function", "Cold starts: instance starts per function", "Upload bytes received",
                "Upload body size p50 / p99", "Collision-check batch size (files) p50 / p99",
                "Collision-check results: files per batch by status (mean), and responses by code", "Cleanup summaries", "Cleanup runs: incomplete, with orphans (per hour)",
                "Cloud SQL connections (max_connections 200)")) {
            assertTrue(titles.contains(wanted), wanted + " in " + titles);
        }
        assertEquals(new LinkedHashSet<>(titles).size(), titles.size(), "titles are unique");
    }

    @Test
    @SuppressWarnings("unchecked")
    void perFunctionChartsAreGroupedByServiceAndEveryQueryNamesAMetric() {
        int perFunction = 0;
        for (Map<String, Object> widget : widgets) {
            Map<String, Object> chart = (Map<String, Object>) widget.get("xyChart");
            if (chart == null) {
                assertNotNull(widget.get("logsPanel"), widget.get("title") + " is a chart or a logs panel");
                continue;
            }
            for (Map<String, Object> dataSet : (List<Map<String, Object>>) chart.get("dataSets")) {
                Map<String, Object> query = (Map<String, Object>) dataSet.get("timeSeriesQuery");
                Map<String, Object> filter = (Map<String, Object>) query.get("timeSeriesFilter");
                if (filter == null) {
                    String promql = String.valueOf(query.get("prometheusQuery"));
                    assertTrue(promql.contains("sum by (service_name)") && promql.contains("service_name=~\"sample-services\""), promql);
                    continue;
                }
                String f = String.valueOf(filter.get("filter"));
                assertTrue(f.startsWith("metric.type=\"") || f.startsWith("metric.type=starts_with(\""), widget.get("title") + ": " + f);
                Map<String, Object> aggregation = (Map<String, Object>) filter.get("aggregation");
                assertTrue(String.valueOf(aggregation.get("alignmentPeriod")).matches("\\d+s"), String.valueOf(aggregation));
                if (f.contains("monitoring.regex.full_match(\"sample-services\")")) {
                    assertEquals(List.of("resource.label.\"service_name\""), aggregation.get("groupByFields"), widget.get("title") + " per function");
                    perFunction++;
                }
            }
        }
        assertTrue(perFunction >= 5, "per-function charts: " + perFunction);
        assertTrue(templateVariablesText().contains("services            = join(\"|\", values(local.run_services))"),
                "the per-function charts match every function's service");
    }

    private static String templateVariablesText() {
        try {
            return Files.readString(TerraformFiles.MODULE.resolve("monitoring.tf"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void tilesFitTheGridWithoutOverlapping() {
        List<Map<String, Object>> tiles = (List<Map<String, Object>>) ((Map<String, Object>) rendered.get("mosaicLayout")).get("tiles");
        int columns = ((Number) ((Map<String, Object>) rendered.get("mosaicLayout")).get("columns")).intValue();
        Set<String> cells = new java.util.HashSet<>();
        for (Map<String, Object> t : tiles) {
            int x = ((Number) t.get("xPos")).intValue();
            int y = ((Number) t.get("yPos")).intValue();
            int w = ((Number) t.get("width")).intValue();
            int h = ((Number) t.get("height")).intValue();
            assertTrue(x + w <= columns, "tile within " + columns + " columns: " + t.get("widget"));
            for (int i = x; i < x + w; i++) {
                for (int j = y; j < y + h; j++) {
                    assertTrue(cells.add(i + "," + j), "tiles overlap at " + i + "," + j);
                }
            }
        }
    }

    /** The cleanup panel shows the summaries the code logs: jsonPayload.cleanup with its "ran" field. */
    @Test
    @SuppressWarnings("unchecked")
    void theCleanupPanelFiltersOnTheSummaryTheCodeLogs() throws Exception {
        Map<String, Object> panel = widgets.stream().filter(w -> "Cleanup summaries".equals(w.get("title"))).findFirst().orElseThrow();
        String filter = String.valueOf(((Map<String, Object>) panel.get("logsPanel")).get("filter"));
        assertTrue(filter.contains("resource.labels.service_name=\"sample-cleanup-service\"") && filter.contains("jsonPayload.cleanup.ran=true"),
                filter);
        String summary = JsonMapper.createDefault().writeValueAsString(new io.imgstream.application.cleanup.CleanupReport(true, false, false,
                5, Map.of()));
        assertTrue(summary.contains("\"ran\":true"), summary);
        assertTrue(Files.readString(TerraformFiles.ROOT.resolve("shared/src/main/java/io/imgstream/application/cleanup/RunCleanup.java"))
                .contains("new JsonPayload(\"cleanup\", toJson(report))"));
    }

    /** The log-based metrics it charts are the module's own, by the names the resources give them. */
    @Test
    void theLogBasedMetricsItChartsAreTheModules() {
        String monitoring = templateVariablesText();
        for (String metric : List.of("http_request_bytes.name", "cleanup_incomplete.name", "cleanup_orphans_found.name",
                "collision_check_batch_size.name")) {
            assertTrue(monitoring.contains("\"logging.googleapis.com/user/${google_logging_metric." + metric + "}\""), metric);
        }
        assertTrue(monitoring.contains("value_extractor = \"EXTRACT(httpRequest.requestSize)\""), "request sizes from Cloud Run's request log");
        // The per-status metrics are named by one prefix, which the results widget selects with starts_with.
        assertTrue(monitoring.contains("name            = \"${var.name_prefix}/collision_check_result_${each.key}\""), monitoring);
        assertTrue(monitoring.contains("collision_results   = \"logging.googleapis.com/user/${var.name_prefix}/collision_check_result_\""));
        assertTrue(monitoring.contains("EXTRACT(jsonPayload.collision_check.results.${each.key})"), "results from the structured line");
    }
}
