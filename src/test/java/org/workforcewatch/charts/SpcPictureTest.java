package org.workforcewatch.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.workforcewatch.indicators.Indicator;
import org.workforcewatch.spc.Xmr;

/**
 * The picture in docs/SPC.md, drawn by the real chart code from an illustrative caseload series: limits, two-sigma
 * lines, an outlier and a shift that runs to the latest month. {@code mvn test -Dtest=SpcPictureTest
 * -Ddocs.write=true} draws it again; without it the test checks that the committed picture says what the code says.
 */
class SpcPictureTest {

    static final Path PICTURE = Path.of("docs", "spc-example.svg");

    // 14 months around 17 with one of 21.5 (outside), then 10 months around 18.4: a shift above the mean
    static final double[] CASELOAD = {16.4, 17.6, 16.8, 17.9, 16.6, 17.4, 17.0, 21.5, 17.2, 16.5, 17.7, 17.1, 16.7, 17.5, 18.0,
            18.6, 17.9, 18.7, 18.2, 18.9, 18.1, 18.5, 18.3, 18.8};

    static Xmr example() {
        List<LocalDate> months = new ArrayList<>();
        for (int i = 0; i < CASELOAD.length; i++) {
            LocalDate first = LocalDate.of(2024, 1, 1).plusMonths(i);
            months.add(first.withDayOfMonth(first.lengthOfMonth()));
        }
        return Xmr.of(months, Arrays.stream(CASELOAD).boxed().toList(), 20.0, Indicator.CASELOAD_PER_FTE.polarity());
    }

    @Test
    void theDocumentedPictureShowsAnOutlierAShiftAndTheVerdictFromTheSameFlags() throws IOException {
        Xmr xmr = example();
        // the example is what docs/SPC.md says of it
        assertThat(xmr.points().get(7).rule()).isEqualTo(Xmr.Rule.OUTSIDE_LIMITS);
        assertThat(xmr.points().subList(14, 24)).allSatisfy(p -> assertThat(p.rule()).isEqualTo(Xmr.Rule.SHIFT));
        assertThat(xmr.current().upperLimit()).isLessThan(20.0);
        assertThat(xmr.assurance()).isEqualTo(Xmr.Assurance.PROCESS_CHANGED);
        assertThat(xmr.verdict()).isEqualTo("Special cause: concerning; process changed since Mar 2025: rebase suggested");

        String svg = Charts.svg(Charts.spcChart(Indicator.CASELOAD_PER_FTE, "an example team", xmr), 900, 460);
        assertThat(svg).contains("Two sigma", "Process limits", "Special cause: concerning", xmr.verdict());
        if (Boolean.getBoolean("docs.write")) {
            Files.writeString(PICTURE, svg, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(PICTURE, StandardCharsets.UTF_8)).contains(xmr.verdict(), "Two sigma", "Target 20");
    }
}
