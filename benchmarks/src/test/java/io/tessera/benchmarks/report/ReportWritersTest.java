package io.tessera.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.benchmarks.load.Recording;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWritersTest {

    private static Results sample() {
        Results results = new Results();
        results.header("Tessera bench \"test\"");
        for (double rate : new double[] {25, 50, 100}) {
            Recording api = new Recording("read mix, API", rate);
            api.recordNanos((long) (rate * 100_000));
            api.finish(1_000_000_000L);
            results.add("S1", api, 0);
            results.point("API", api);
            Recording raw = new Recording("read mix, bare JDBC", rate);
            raw.recordNanos(500_000);
            raw.finish(1_000_000_000L);
            results.point("bare JDBC", raw);
        }
        Recording closed = new Recording("commands");
        closed.error();
        results.add("S2", closed, 4);
        results.ratio("S1 API / bare JDBC p95", 5.0, "at 50/s");
        results.ratio("undefined", Double.NaN, "nothing measured");
        results.note("a note with a\nline break");
        return results;
    }

    @Test
    void theTableHasOneLinePerRowAndEveryRatio() {
        List<String> lines = TextTable.lines(sample());
        assertThat(lines).anyMatch(line -> line.contains("read mix, API") && line.contains("100"));
        assertThat(lines).anyMatch(line -> line.contains("c=4"));
        assertThat(lines).anyMatch(line -> line.contains("S1 API / bare JDBC p95") && line.contains("5.00"));
        assertThat(lines).anyMatch(line -> line.contains("undefined") && line.contains("n/a"));
    }

    @Test
    void theJsonEscapesTextAndWritesNullForUndefinedRatios() {
        String json = JsonReport.of(sample());
        assertThat(json).contains("\"Tessera bench \\\"test\\\"\"");
        assertThat(json).contains("\"value\": null");
        assertThat(json).contains("\"a note with a\\nline break\"");
        assertThat(json).contains("\"target_rate\": 100.000");
        assertThat(json).contains("\"API\": [{\"rate\": 25.000");
    }

    @Test
    void theMarkdownLinksThePlotAndThePlotIsAPng(@TempDir Path dir) throws Exception {
        Results results = sample();
        Path png = dir.resolve("plot.png");
        LatencyPlot.write("test", results.series(), png);
        assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(960);
        String markdown = MarkdownReport.of(results, List.of("plot.png"));
        assertThat(markdown).contains("![plot.png](plot.png)").contains("| S2 | commands | c=4 |");
        assertThat(Files.size(png)).isPositive();
    }
}
