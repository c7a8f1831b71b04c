package org.workforcewatch.reports;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jfree.chart.JFreeChart;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.workforcewatch.charts.Charts;
import org.workforcewatch.indicators.Indicator;
import org.workforcewatch.security.ExpensiveReads;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The monthly workforce profile for the improvement board: the PDF, and its tables as CSV. */
@RestController
class ReportController {

    private static final Log log = LogFactory.getLog(ReportController.class);

    static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    private final WorkforceProfile profiles;
    private final Charts charts;
    private final Clock clock;

    private final ExpensiveReads expensive;

    ReportController(WorkforceProfile profiles, Charts charts, Clock clock, ExpensiveReads expensive) {
        this.expensive = expensive;
        this.profiles = profiles;
        this.charts = charts;
        this.clock = clock;
    }

    /** The board pack: seconds of figures, charts and layout, so one of the asker's expensive reads. */
    @GetMapping("/api/reports/workforce-profile")
    Mono<ResponseEntity<byte[]>> pdf(@RequestParam(required = false) String month) {
        return profiles.month(month).flatMap(m -> expensive.limited(Mono.zip(profiles.of(m), figures(m))
                // Laying out the pages and drawing the charts is CPU work: off the event loop.
                .publishOn(Schedulers.boundedElastic())
                .map(t -> ResponseEntity.ok()
                        .contentType(MediaType.APPLICATION_PDF)
                        .header(HttpHeaders.CONTENT_DISPOSITION, attachment("workforce-profile-" + t.getT1().month() + ".pdf"))
                        .body(ProfilePdf.render(t.getT1(), t.getT2(), clock.getZone())))));
    }

    /**
     * The months the profile can be made for, newest first, the default (the last complete month) and the tables its CSV
     * has: what a month picker offers.
     */
    @GetMapping("/api/reports/workforce-profile/months")
    Mono<Map<String, Object>> months() {
        return profiles.months().map(months -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("months", months.stream().map(YearMonth::toString).toList());
            body.put("default", profiles.lastCompleteMonth().toString());
            body.put("tables", ProfileCsv.TABLES);
            return body;
        });
    }

    @GetMapping("/api/reports/workforce-profile.csv")
    Mono<ResponseEntity<byte[]>> csv(@RequestParam(required = false) String month,
                                     @RequestParam(defaultValue = "summary") String table) {
        if (!ProfileCsv.TABLES.contains(table)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "table must be one of " + String.join(", ", ProfileCsv.TABLES)
                    + "; got " + table);
        }
        return profiles.month(month).flatMap(profiles::of)
                .map(p -> ResponseEntity.ok()
                        .contentType(CSV)
                        .header(HttpHeaders.CONTENT_DISPOSITION, attachment("workforce-profile-" + p.month() + "-" + table + ".csv"))
                        .body(ProfileCsv.table(p, table).getBytes(StandardCharsets.UTF_8)));
    }

    private static String attachment(String filename) {
        return ContentDisposition.attachment().filename(filename).build().toString();
    }

    /**
     * The key charts, one after another (each reads the database and the pool is shared), each as at the month's end like
     * the figures beside them: its data up to that day and the thresholds in force then. A chart that cannot be
     * drawn (no data for it) is named in the pack with the reason instead of failing the whole pack.
     */
    Mono<List<ProfilePdf.Figure>> figures(YearMonth month) {
        LocalDate asOf = month.atEndOfMonth();
        return Flux.concat(
                figure("Caseload per FTE at the authority: monthly, with thresholds and benchmarks",
                        () -> charts.trend(Indicator.CASELOAD_PER_FTE, "authority", null, asOf)),
                figure("Caseload per FTE by team at " + DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.UK).format(month.atEndOfMonth()),
                        () -> charts.teams(Indicator.CASELOAD_PER_FTE, asOf, null)),
                figure("Agency rate at the authority: monthly, with thresholds and benchmarks",
                        () -> charts.trend(Indicator.AGENCY_RATE, "authority", null, asOf)),
                figure("Vacancy rate at the authority: statistical process control (XmR)",
                        () -> charts.spc(Indicator.VACANCY_RATE, "authority", null, asOf)),
                figure("Workforce composition: permanent, fixed-term and agency FTE",
                        () -> charts.composition("authority", null, asOf)),
                figure("Starters and leavers per month", () -> charts.startersLeavers("authority", null, asOf))).collectList();
    }

    private static Mono<ProfilePdf.Figure> figure(String caption, Supplier<Mono<JFreeChart>> chart) {
        return Mono.defer(chart).map(c -> new ProfilePdf.Figure(caption, c, null))
                .onErrorResume(ResponseStatusException.class, e -> Mono.just(new ProfilePdf.Figure(caption, null, e.getReason())))
                // One chart going wrong must not cost the board its pack: the pack says so, the log keeps the cause.
                .onErrorResume(e -> {
                    log.error("Chart for the workforce profile failed: " + caption, e);
                    return Mono.just(new ProfilePdf.Figure(caption, null, "the chart could not be drawn; the log has the cause"));
                })
                .switchIfEmpty(Mono.fromSupplier(() -> new ProfilePdf.Figure(caption, null, "no data")));
    }
}
