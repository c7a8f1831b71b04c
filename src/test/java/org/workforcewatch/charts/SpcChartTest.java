package org.workforcewatch.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.Marker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;
import org.workforcewatch.indicators.Indicator;
import org.workforcewatch.spc.SpcSettings;
import org.workforcewatch.spc.Xmr;

/** The XmR chart drawn from an Xmr: each baseline's lines on its own months, and the rebase between them marked. */
class SpcChartTest {

    // twelve months around 11.5, then twelve around 21.5, rebased between them
    private static final double[] STEP = {10, 14, 12, 10, 11, 13, 12, 10, 12, 11, 13, 10, 20, 24, 22, 20, 21, 23, 22, 20, 22, 21,
            23, 20};

    @Test
    void eachBaselineHasItsOwnLinesAndTheRebaseIsMarked() {
        List<LocalDate> months = new ArrayList<>();
        for (int i = 0; i < STEP.length; i++) {
            LocalDate first = LocalDate.of(2024, 1, 1).plusMonths(i);
            months.add(first.withDayOfMonth(first.lengthOfMonth()));
        }
        Xmr xmr = Xmr.of(months, Arrays.stream(STEP).boxed().toList(), 16.0, Indicator.Polarity.HIGHER_IS_WORSE,
                List.of(LocalDate.of(2025, 1, 1)), SpcSettings.DEFAULTS);
        JFreeChart chart = Charts.spcChart(Indicator.CASELOAD_PER_FTE, "Team T05", xmr);
        XYPlot plot = chart.getXYPlot();
        XYDataset lines = plot.getDataset(2);
        // the mean: two points for each baseline, and a gap (no value) between them
        assertThat(lines.getItemCount(0)).isEqualTo(5);
        assertThat(lines.getYValue(0, 0)).isEqualTo(xmr.baselines().get(0).mean());
        assertThat(lines.getY(0, 2)).isNull();
        assertThat(lines.getYValue(0, 3)).isEqualTo(xmr.current().mean());
        assertThat(xmr.current().mean()).isNotEqualTo(xmr.baselines().get(0).mean());
        Collection<?> markers = plot.getDomainMarkers(Layer.FOREGROUND);
        assertThat(markers).singleElement().satisfies(m -> assertThat(((Marker) m).getLabel()).isEqualTo("Rebased Jan 2025"));
        // no point is special cause within its own baseline
        assertThat(plot.getDataset(0).getItemCount(0) + plot.getDataset(0).getItemCount(1)).isZero();
        List<String> subtitles = new ArrayList<>();
        for (int i = 0; i < chart.getSubtitleCount(); i++) {
            if (chart.getSubtitle(i) instanceof TextTitle t) {
                subtitles.add(t.getText());
            }
        }
        assertThat(subtitles).anyMatch(t -> t.startsWith("Baseline from Jan 2025:"));
        // the target (16) lies below the new baseline's lower limit (16.18)
        assertThat(subtitles).anyMatch(t -> t.startsWith("Common cause; consistently fails the target."));
    }
}
