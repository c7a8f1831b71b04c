package org.workforcewatch.metrics;

import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.workforcewatch.cluster.ChangedElsewhere;
import org.workforcewatch.indicators.Indicator;
import org.workforcewatch.indicators.IndicatorEngine;
import org.workforcewatch.indicators.IndicatorValue;
import org.workforcewatch.indicators.IndicatorsRefreshed;
import org.workforcewatch.indicators.Thresholds;
import org.workforcewatch.ingest.catalog.DataFreshness;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Today's indicators, thresholds, risks, team staffing and data freshness as Prometheus gauges
 * (docs/METRICS.md). The gauges are built into one snapshot whenever today's indicators are recomputed or
 * a threshold changes, and at least once a minute, and written out once per exposition format; a scrape
 * ({@link WorkforceScrapeEndpoint}) copies those bytes, so it never touches the database and costs little
 * more at 1,500 teams than at 20.
 * <p>
 * These are not Micrometer gauges: one gauge per team and indicator would be over a hundred thousand
 * meters at national scale, each read and formatted one by one on every scrape.
 */
@Component
class WorkforceGauges {

    private static final Log log = LogFactory.getLog(WorkforceGauges.class);
    /** Rebuilt at least this often, so the date rolls over and the freshness of data moves on. */
    private static final Duration REBUILD_EVERY = Duration.ofMinutes(1);

    private final IndicatorEngine engine;
    private final TeamStaffing staffing;
    private final DataFreshness freshness;
    private final FreshnessSettings freshnessSettings;
    private final Clock clock;
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final AtomicReference<Rendered> current = new AtomicReference<>(new Rendered(MetricSnapshots.of()));
    private final Sinks.Many<String> wanted = Sinks.many().multicast().onBackpressureBuffer(16, false);
    private volatile Instant computedAt;
    private Disposable running;

    WorkforceGauges(IndicatorEngine engine, TeamStaffing staffing, DataFreshness freshness, FreshnessSettings freshnessSettings,
                    Clock clock) {
        this.engine = engine;
        this.staffing = staffing;
        this.freshness = freshness;
        this.freshnessSettings = freshnessSettings;
        this.clock = clock;
    }

    /** The latest snapshot, with its text written once per exposition format. */
    private final class Rendered {
        private final MetricSnapshots snapshots;
        private final Map<String, byte[]> byFormat = new ConcurrentHashMap<>();

        Rendered(MetricSnapshots snapshots) {
            this.snapshots = snapshots;
        }

        byte[] in(String contentType) {
            return byFormat.computeIfAbsent(contentType, type -> withoutEnd(write(snapshots, type)));
        }
    }

    /** The current gauges. */
    MetricSnapshots snapshots() {
        return current.get().snapshots;
    }

    /** The current gauges written in this exposition format (a content type), without OpenMetrics' end marker. */
    byte[] rendered(String contentType) {
        return current.get().in(contentType);
    }

    /** Writes snapshots as the writer for this content type does. */
    byte[] write(MetricSnapshots snapshots, String contentType) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
        try {
            formats.findWriter(contentType).write(out, snapshots);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** OpenMetrics text ends with this line; several parts of one answer must carry it once, at the end. */
    static final byte[] END = "# EOF\n".getBytes(StandardCharsets.UTF_8);

    static byte[] withoutEnd(byte[] text) {
        return endsWithEnd(text) ? Arrays.copyOf(text, text.length - END.length) : text;
    }

    static boolean endsWithEnd(byte[] text) {
        return text.length >= END.length
                && Arrays.equals(text, text.length - END.length, text.length, END, 0, END.length);
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        running = Flux.merge(wanted.asFlux(), Flux.interval(Duration.ZERO, REBUILD_EVERY).map(tick -> "minute"))
                .onBackpressureLatest()
                .concatMap(reason -> build().map(Rendered::new).doOnNext(current::set).onErrorResume(e -> {
                    log.warn("Metrics could not be rebuilt (" + reason + "): " + e.getMessage());
                    return Mono.empty();
                }), 1)
                .subscribe();
    }

    @EventListener
    void indicatorsRefreshed(IndicatorsRefreshed refreshed) {
        computedAt = clock.instant();
        wanted.tryEmitNext("indicators");
    }

    @EventListener
    void thresholdsChanged(Thresholds.Changed change) {
        wanted.tryEmitNext("thresholds");
    }

    /** Another instance changed figures or thresholds: the gauges follow at once, not at the next minute. */
    @EventListener
    void changedElsewhere(ChangedElsewhere change) {
        if (!change.kind().equals("data")) {
            wanted.tryEmitNext("elsewhere");
        }
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        if (running != null) {
            running.dispose();
        }
    }

    /** The snapshot for today, from the stored indicators and a few cheap queries. */
    Mono<MetricSnapshots> build() {
        LocalDate today = LocalDate.now(clock);
        Mono<List<IndicatorValue>> values = Flux.just("team", "service", "authority")
                .concatMap(level -> engine.at(today, level)).collectList();
        return Mono.zip(values, staffing.at(today), freshness.latest())
                .map(t -> snapshot(t.getT1(), t.getT2(), t.getT3()));
    }

    private MetricSnapshots snapshot(List<IndicatorValue> values, TeamStaffing.Figures staff, List<DataFreshness.Latest> latest) {
        Families f = new Families();
        for (IndicatorGauge g : IndicatorGauge.values()) {
            f.declare(g.gaugeName(), g.help() + " (" + g.indicator().id() + ")");
            if (g.hasNumerator()) {
                f.declare(g.gaugeName() + "_numerator", "Numerator of " + g.gaugeName() + ": sum it to roll teams up");
            }
            f.declare(g.gaugeName() + "_denominator", "Denominator of " + g.gaugeName() + ": sum it to roll teams up");
            f.declare(g.gaugeName() + "_threshold", "Threshold in force for " + g.gaugeName() + " in each team, by severity");
        }
        f.declare("workforce_allocation_wait_oldest_working_days", "Longest wait of a referral not yet allocated, in working days");
        f.declare("workforce_risk_active", "1 for each active risk: an indicator at amber or red (see /api/risks)");
        f.declare("workforce_indicator_severity", "Severity of each indicator where it has a value, against the thresholds in force"
                + " there: 0 green, 1 amber, 2 red");
        for (IndicatorValue v : values) {
            Indicator indicator = Indicator.byId(v.indicator()).orElseThrow();
            IndicatorGauge g = IndicatorGauge.of(indicator);
            if (v.level().equals("team")) {
                Labels team = teamLabels(v.scope(), v.service(), v.teamType());
                if (v.value() != null) {
                    f.add(g.gaugeName(), g.toBase(v.value()), team);
                }
                if (g.hasNumerator()) {
                    f.add(g.gaugeName() + "_numerator", v.numerator(), team);
                }
                f.add(g.gaugeName() + "_denominator", v.denominator(), team);
                f.add(g.gaugeName() + "_threshold", g.toBase(v.amber()), team.add("severity", "amber"));
                f.add(g.gaugeName() + "_threshold", g.toBase(v.red()), team.add("severity", "red"));
                if (indicator == Indicator.ALLOCATION_WAIT && v.detail() != null) {
                    f.add("workforce_allocation_wait_oldest_working_days", v.detail(), team);
                }
            }
            if (v.value() != null && ("amber".equals(v.severity()) || "red".equals(v.severity()))) {
                f.add("workforce_risk_active", 1, riskLabels(v));
            }
            if (v.value() != null) {
                f.add("workforce_indicator_severity", severityCode(v.severity()), severityLabels(v));
            }
        }

        f.declare("workforce_social_worker_fte", "Children and family social worker FTE in post today, by employment");
        for (TeamStaffing.Fte fte : staff.fte()) {
            f.add("workforce_social_worker_fte", fte.fte(), teamLabels(fte.team()).add("employment", fte.employment()));
        }
        f.declare("workforce_agency_monthly_cost_pounds", "Agency cost per month at today's rates: hourly rate x 37 x 52 / 12 x FTE");
        f.declare("workforce_agency_long_term_workers", "Agency social workers whose spell has lasted more than 12 months");
        for (TeamStaffing.Agency a : staff.agency()) {
            f.add("workforce_agency_monthly_cost_pounds", a.monthlyCost(), teamLabels(a.team()));
            f.add("workforce_agency_long_term_workers", a.longTerm(), teamLabels(a.team()));
        }
        f.declare("workforce_ooh_cover_gap_next_7_days_shifts", "Out-of-hours shifts in the next 7 days with fewer staff than required");
        for (TeamStaffing.Cover c : staff.cover()) {
            f.add("workforce_ooh_cover_gap_next_7_days_shifts", c.gaps(), teamLabels(c.team()));
        }

        f.declare("workforce_data_updated_timestamp_seconds", "When the dataset last received data (an import or a live event)");
        f.declare("workforce_last_import_timestamp_seconds", "When the dataset's last successful import finished");
        f.declare("workforce_data_max_age_seconds", "How old the dataset may grow before it is stale (workforce.freshness)");
        Map<String, Duration> watched = freshnessSettings.watched();
        for (DataFreshness.Latest l : latest) {
            Labels dataset = Labels.of("dataset", l.dataset());
            if (l.updated() != null) {
                f.add("workforce_data_updated_timestamp_seconds", seconds(l.updated()), dataset);
            }
            if (l.imported() != null) {
                f.add("workforce_last_import_timestamp_seconds", seconds(l.imported()), dataset);
            }
        }
        watched.forEach((dataset, age) -> f.add("workforce_data_max_age_seconds", age.toSeconds(), Labels.of("dataset", dataset)));
        f.declare("workforce_indicators_computed_timestamp_seconds", "When today's indicators were last computed");
        if (computedAt != null) {
            f.add("workforce_indicators_computed_timestamp_seconds", seconds(computedAt), Labels.EMPTY);
        }
        return f.snapshots();
    }

    private static Labels teamLabels(TeamStaffing.Team t) {
        return teamLabels(t.team(), t.service(), t.teamType());
    }

    private static Labels teamLabels(String team, String service, String teamType) {
        return Labels.of("service", service, "team", team, "team_type", teamType);
    }

    private static Labels riskLabels(IndicatorValue v) {
        Labels labels = Labels.of("indicator", v.indicator(), "level", v.level(), "severity", v.severity());
        return switch (v.level()) {
            case "team" -> labels.merge(teamLabels(v.scope(), v.service(), v.teamType()));
            case "service" -> labels.add("service", v.scope());
            default -> labels;
        };
    }

    private static Labels severityLabels(IndicatorValue v) {
        Labels labels = Labels.of("indicator", v.indicator(), "level", v.level());
        return switch (v.level()) {
            case "team" -> labels.merge(teamLabels(v.scope(), v.service(), v.teamType()));
            case "service" -> labels.add("service", v.scope());
            default -> labels;
        };
    }

    /** The severity as a number Grafana can map to a colour: 0 green, 1 amber, 2 red. */
    static double severityCode(String severity) {
        return switch (severity == null ? "ok" : severity) {
            case "red" -> 2;
            case "amber" -> 1;
            default -> 0;
        };
    }

    private static double seconds(Instant t) {
        return t.toEpochMilli() / 1000.0;
    }

    /** Gauge families in the order declared, each with its data points. */
    private static final class Families {
        private final Map<String, GaugeSnapshot.Builder> builders = new LinkedHashMap<>();
        private final Map<String, Integer> points = new LinkedHashMap<>();

        void declare(String name, String help) {
            builders.put(name, GaugeSnapshot.builder().name(name).help(help));
            points.put(name, 0);
        }

        void add(String name, double value, Labels labels) {
            builders.get(name).dataPoint(new GaugeDataPointSnapshot(value, labels, null));
            points.merge(name, 1, Integer::sum);
        }

        MetricSnapshots snapshots() {
            List<MetricSnapshot> all = new ArrayList<>();
            builders.forEach((name, b) -> {
                if (points.get(name) > 0) {
                    all.add(b.build());
                }
            });
            return new MetricSnapshots(all);
        }
    }
}
