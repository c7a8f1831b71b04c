package org.workforcewatch.indicators;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** What each dataset covers and why, and from when each indicator has a value. */
@RestController
class DataCoverageController {

    private final DataCoverage coverage;

    DataCoverageController(DataCoverage coverage) {
        this.coverage = coverage;
    }

    @GetMapping("/api/data-coverage")
    Mono<Map<String, Object>> coverage() {
        return coverage.current().map(c -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("today", c.today());
            body.put("earliest", c.earliest());
            List<LocalDate> months = c.monthEnds();
            body.put("history_from", months.isEmpty() ? null : months.get(0));
            List<Map<String, Object>> datasets = new ArrayList<>();
            for (DataCoverage.Source s : DataCoverage.Source.values()) {
                DataCoverage.Covered d = c.datasets().get(s);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("dataset", d.dataset());
                m.put("from", d.from());
                m.put("basis", d.basis());
                m.put("configured", d.configured());
                m.put("recorded", d.recorded());
                datasets.add(m);
            }
            body.put("datasets", datasets);
            List<Map<String, Object>> indicators = new ArrayList<>();
            for (Indicator i : Indicator.values()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("indicator", i.id());
                m.put("from", c.from(i));
                m.put("inputs", DataCoverage.inputs(i).stream().map(DataCoverage.Source::dataset).toList());
                m.put("rolling_year", DataCoverage.rollingYear(i));
                String gap = c.gap(i, c.from(i).minusDays(1));
                m.put("why", gap == null ? null : gap.replaceFirst("^not covered: ", ""));
                indicators.add(m);
            }
            body.put("indicators", indicators);
            return body;
        });
    }
}
