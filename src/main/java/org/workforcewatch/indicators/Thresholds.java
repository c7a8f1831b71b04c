package org.workforcewatch.indicators;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * The thresholds in force: the configuration ({@link ThresholdSettings}) with the changes an
 * administrator made at runtime on top (kept in threshold_changes, the latest per indicator and scope).
 * Precedence, most specific last: general, team type, team; at each, runtime over configuration.
 * Each start records the configuration when it differs from the latest recorded (threshold_configurations), so a past
 * moment is rated with the configuration in force then: the latest recorded at or before it, and before the first
 * record the earliest one (nothing older is known).
 */
@Component
public class Thresholds {

    /** A runtime change of one indicator's thresholds, for everything, a team type or a team. */
    public record Change(String indicator, String scopeKind, String scope, Double amber, Double red, Double target,
                         String leadOfficer, String changedBy, String reason) {
    }

    /**
     * A recorded change, as GET /api/thresholds and /api/thresholds/history list it, with what was in force at its scope
     * before it ({@code previous}; null for a change recorded before that was kept).
     */
    public record Recorded(long id, String indicator, String scopeKind, String scope, double amber, double red, Double target,
                           String leadOfficer, String changedBy, String reason, OffsetDateTime changedAt, Previous previous) {

        public Recorded(long id, String indicator, String scopeKind, String scope, double amber, double red, Double target,
                        String leadOfficer, String changedBy, String reason, OffsetDateTime changedAt) {
            this(id, indicator, scopeKind, scope, amber, red, target, leadOfficer, changedBy, reason, changedAt, null);
        }
    }

    /** What was in force at a change's scope just before it. */
    public record Previous(double amber, double red, Double target, String leadOfficer) {
    }

    /** A change refused, with each problem naming its field. */
    public static final class Invalid extends IllegalArgumentException {
        private final transient List<ThresholdSettings.FieldProblem> problems;

        Invalid(String indicator, List<ThresholdSettings.FieldProblem> problems) {
            super(String.join("; ", problems.stream().map(p -> indicator + ": " + p.reason()).toList()));
            this.problems = List.copyOf(problems);
        }

        public List<ThresholdSettings.FieldProblem> problems() {
            return problems;
        }
    }

    /** Published after a change took effect. */
    public record Changed(Recorded change) {
    }

    /**
     * The thresholds in force at one moment: the configuration in force then with the latest runtime change per
     * indicator and scope made up to then. A report as at a past day applies the view of that day, so a change made since does not
     * rewrite it.
     */
    public record View(ThresholdSettings settings, List<Recorded> changes) {

        public ThresholdSettings.Applied forIndicator(Indicator indicator) {
            return runtime(settings.forIndicator(indicator), indicator, "all", "");
        }

        public ThresholdSettings.Applied forTeam(Indicator indicator, String teamId, String teamType) {
            ThresholdSettings.Applied applied = forIndicator(indicator);
            if (teamType != null) {
                applied = runtime(ThresholdSettings.merge(applied, settings.teamTypeLevel(indicator, teamType)), indicator,
                        "team_type", teamType);
            }
            if (teamId != null) {
                applied = runtime(ThresholdSettings.merge(applied, settings.teamLevel(indicator, teamId)), indicator, "team", teamId);
            }
            return applied;
        }

        /** The thresholds for a value's place: a team's own (and its team type's), else the general ones. */
        public ThresholdSettings.Applied forValue(IndicatorValue v) {
            Indicator indicator = Indicator.byId(v.indicator()).orElseThrow();
            return v.level().equals("team") ? forTeam(indicator, v.scope(), v.teamType()) : forIndicator(indicator);
        }

        /** The value with this view's thresholds, target, lead officer and the severity they give. */
        public IndicatorValue apply(IndicatorValue v) {
            return v.withThresholds(forValue(v));
        }

        private ThresholdSettings.Applied runtime(ThresholdSettings.Applied base, Indicator indicator, String kind, String scope) {
            for (Recorded r : changes) {
                if (r.indicator().equals(indicator.id()) && r.scopeKind().equals(kind) && r.scope().equals(scope)) {
                    return new ThresholdSettings.Applied(r.amber(), r.red(), r.target() != null ? r.target() : base.target(),
                            r.leadOfficer() != null ? r.leadOfficer() : base.leadOfficer());
                }
            }
            return base;
        }
    }

    private final ThresholdSettings settings;
    private final DatabaseClient db;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final TransactionalOperator tx;
    /** The recorded configurations by their canonical text, read once each. */
    private final Map<String, ThresholdSettings> parsed = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicReference<List<Recorded>> latest = new AtomicReference<>(List.of());
    /** Grows whenever the changes in force differ from before: answers built with the old ones are stale. */
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

    Thresholds(ThresholdSettings settings, DatabaseClient db, ApplicationEventPublisher events, Clock clock,
               TransactionalOperator tx) {
        this.settings = settings;
        this.tx = tx;
        this.clock = clock;
        this.db = db;
        this.events = events;
    }

    @EventListener(ApplicationReadyEvent.class)
    void load() {
        recordConfiguration().then(reload()).block();
    }

    /**
     * Records the configuration as of now (the service's clock) unless it is the latest recorded already. Instances
     * starting together take turns under a lock, so one configuration is recorded once.
     */
    Mono<Void> recordConfiguration() {
        String canonical = ConfiguredThresholds.canonical(settings);
        return tx.transactional(db.sql("SELECT pg_advisory_xact_lock(hashtext('workforce-threshold-configuration'))").then()
                .then(db.sql("SELECT settings FROM threshold_configurations ORDER BY effective_at DESC, id DESC LIMIT 1")
                        .map(r -> r.get("settings", String.class)).one().defaultIfEmpty(""))
                .flatMap(recorded -> recorded.equals(canonical) ? Mono.<Void>empty()
                        : db.sql("INSERT INTO threshold_configurations (settings, effective_at) VALUES (:settings, :at)")
                        .bind("settings", canonical).bind("at", clock.instant().atOffset(ZoneOffset.UTC)).then()));
    }

    /** The recorded configurations, oldest first. */
    private Mono<List<Map.Entry<Instant, ThresholdSettings>>> configurations() {
        return db.sql("SELECT settings, effective_at FROM threshold_configurations ORDER BY effective_at, id")
                .map(r -> Map.entry(r.get("effective_at", OffsetDateTime.class).toInstant(),
                        parsed.computeIfAbsent(r.get("settings", String.class), ConfiguredThresholds::settings)))
                .all().collectList();
    }

    /**
     * The configuration in force at an instant: the latest recorded at or before it; before the first record, the
     * earliest; with none recorded (yet), this instance's own.
     */
    private ThresholdSettings configurationAt(List<Map.Entry<Instant, ThresholdSettings>> recorded, Instant instant) {
        ThresholdSettings inForce = recorded.isEmpty() ? settings : recorded.get(0).getValue();
        for (Map.Entry<Instant, ThresholdSettings> c : recorded) {
            if (!c.getKey().isAfter(instant)) {
                inForce = c.getValue();
            }
        }
        return inForce;
    }

    /** The thresholds in force now. */
    public View current() {
        return new View(settings, latest.get());
    }

    /**
     * The thresholds in force at an instant: the configuration in force then, with the latest change per indicator and
     * scope made at or before it.
     */
    public Mono<View> at(Instant instant) {
        return db.sql("SELECT DISTINCT ON (indicator, scope_kind, scope) * FROM threshold_changes WHERE changed_at <= :at"
                        + " ORDER BY indicator, scope_kind, scope, id DESC")
                .bind("at", instant.atOffset(ZoneOffset.UTC))
                .map(Thresholds::recorded).all().collectList()
                // one query after the other: one database connection at a time
                .flatMap(changes -> configurations().map(recorded -> new View(configurationAt(recorded, instant), changes)));
    }

    /** The thresholds in force at the end of a day in the authority's time zone (its last instant). */
    public Mono<View> atEndOf(LocalDate day) {
        return at(endOf(day));
    }

    /**
     * The thresholds in force at the end of each of several days, read in one query: as {@link #atEndOf(LocalDate)} for
     * each (a series rates each of its points with those of the point's own day).
     */
    public Mono<Map<LocalDate, View>> atEndOf(List<LocalDate> days) {
        List<LocalDate> distinct = List.copyOf(new java.util.TreeSet<>(days));
        if (distinct.isEmpty()) {
            return Mono.just(Map.of());
        }
        String ends = String.join(",", distinct.stream().map(d -> endOf(d).toString()).toList());
        return db.sql("SELECT DISTINCT ON (d.i, c.indicator, c.scope_kind, c.scope) d.i AS day, c.*"
                        + " FROM unnest(CAST(string_to_array(:ends, ',') AS timestamptz[])) WITH ORDINALITY AS d(at, i)"
                        + " JOIN threshold_changes c ON c.changed_at <= d.at"
                        + " ORDER BY d.i, c.indicator, c.scope_kind, c.scope, c.id DESC")
                .bind("ends", ends)
                .map(r -> Map.entry(distinct.get(r.get("day", Long.class).intValue() - 1), recorded(r))).all().collectList()
                .flatMap(rows -> configurations().map(recorded -> {
                    Map<LocalDate, List<Recorded>> changes = new java.util.TreeMap<>();
                    distinct.forEach(d -> changes.put(d, new java.util.ArrayList<>()));
                    rows.forEach(row -> changes.get(row.getKey()).add(row.getValue()));
                    Map<LocalDate, View> views = new java.util.TreeMap<>();
                    changes.forEach((day, inForce) -> views.put(day, new View(configurationAt(recorded, endOf(day)),
                            List.copyOf(inForce))));
                    return views;
                }));
    }

    /** The last instant of a day in the authority's time zone. */
    public Instant endOf(LocalDate day) {
        return day.plusDays(1).atStartOfDay(clock.getZone()).toInstant().minusNanos(1000);
    }

    public ThresholdSettings.Applied forIndicator(Indicator indicator) {
        return current().forIndicator(indicator);
    }

    public ThresholdSettings.Applied forTeam(Indicator indicator, String teamId, String teamType) {
        return current().forTeam(indicator, teamId, teamType);
    }

    /** Records a change and puts it into force at once; amber must not be beyond red. */
    public Mono<Recorded> change(Change c) {
        Indicator indicator = Indicator.byId(c.indicator()).orElseThrow(() -> new IllegalArgumentException(
                "no indicator " + c.indicator()));
        String kind = c.scopeKind() == null ? "all" : c.scopeKind();
        if (!List.of("all", "team_type", "team").contains(kind)) {
            throw new IllegalArgumentException("scope_kind must be all, team_type or team, got " + kind);
        }
        if (!kind.equals("all") && (c.scope() == null || c.scope().isBlank())) {
            throw new IllegalArgumentException("scope (the team type or team id) is needed for scope_kind " + kind);
        }
        ThresholdSettings.Applied current = switch (kind) {
            case "team" -> forTeam(indicator, c.scope(), null);
            case "team_type" -> forTeam(indicator, null, c.scope());
            default -> forIndicator(indicator);
        };
        double amber = c.amber() != null ? c.amber() : current.amber();
        double red = c.red() != null ? c.red() : current.red();
        double target = c.target() != null ? c.target() : current.target();
        List<ThresholdSettings.FieldProblem> problems = new java.util.ArrayList<>(
                ThresholdSettings.fieldProblems(new ThresholdSettings.Applied(amber, red, target, null)));
        if (c.reason() == null || c.reason().isBlank()) {
            problems.add(new ThresholdSettings.FieldProblem("reason", "a reason is needed: every change is recorded with why it"
                    + " was made"));
        }
        if (!problems.isEmpty()) {
            throw new Invalid(indicator.id(), problems);
        }
        if (c.changedBy() == null || c.changedBy().isBlank()) {
            throw new IllegalArgumentException("changed_by is needed: every change is recorded with who made it");
        }
        // Dated by the service's clock, as the reports that ask "in force at" read it.
        return db.sql("INSERT INTO threshold_changes (indicator, scope_kind, scope, amber, red, target, lead_officer, changed_by,"
                        + " reason, changed_at, previous_amber, previous_red, previous_target, previous_lead_officer)"
                        + " VALUES (:indicator, :kind, :scope, :amber, :red, :target, :lead, :by, :reason, :at,"
                        + " :previousAmber, :previousRed, :previousTarget, :previousLead) RETURNING id")
                .bind("previousAmber", current.amber()).bind("previousRed", current.red())
                .bind("previousTarget", current.target())
                .bind("previousLead", current.leadOfficer() == null ? "" : current.leadOfficer())
                .bind("indicator", indicator.id()).bind("kind", kind).bind("scope", kind.equals("all") ? "" : c.scope())
                .bind("amber", amber).bind("red", red)
                .bind("target", target)
                .bind("lead", c.leadOfficer() != null ? c.leadOfficer() : current.leadOfficer())
                .bind("by", c.changedBy()).bind("reason", c.reason().strip())
                .bind("at", clock.instant().atOffset(ZoneOffset.UTC))
                .map(r -> r.get("id", Long.class)).one()
                .flatMap(id -> reload().then(db.sql("SELECT * FROM threshold_changes WHERE id = :id").bind("id", id)
                        .map(Thresholds::recorded).one()))
                .doOnNext(recorded -> events.publishEvent(new Changed(recorded)));
    }

    /** The most recent changes, newest first. */
    public Mono<List<Recorded>> history(int limit) {
        return db.sql("SELECT * FROM threshold_changes ORDER BY id DESC LIMIT :limit").bind("limit", limit)
                .map(Thresholds::recorded).all().collectList();
    }

    /** Reads the runtime changes again (another instance may have made one). */
    public Mono<Void> reload() {
        return db.sql("SELECT DISTINCT ON (indicator, scope_kind, scope) * FROM threshold_changes"
                        + " ORDER BY indicator, scope_kind, scope, id DESC")
                .map(Thresholds::recorded).all().collectList().doOnNext(list -> {
                    if (!list.equals(latest.getAndSet(list))) {
                        generation.incrementAndGet();
                    }
                }).then();
    }

    /** A number that changes whenever the thresholds in force change. */
    public long generation() {
        return generation.get();
    }

    private static Recorded recorded(io.r2dbc.spi.Readable r) {
        BigDecimal target = r.get("target", BigDecimal.class);
        BigDecimal previousAmber = r.get("previous_amber", BigDecimal.class);
        BigDecimal previousTarget = r.get("previous_target", BigDecimal.class);
        Previous previous = previousAmber == null ? null : new Previous(previousAmber.doubleValue(),
                r.get("previous_red", BigDecimal.class).doubleValue(), previousTarget == null ? null : previousTarget.doubleValue(),
                r.get("previous_lead_officer", String.class));
        return new Recorded(r.get("id", Long.class), r.get("indicator", String.class), r.get("scope_kind", String.class),
                r.get("scope", String.class), r.get("amber", BigDecimal.class).doubleValue(),
                r.get("red", BigDecimal.class).doubleValue(), target == null ? null : target.doubleValue(),
                r.get("lead_officer", String.class), r.get("changed_by", String.class), r.get("reason", String.class),
                r.get("changed_at", OffsetDateTime.class), previous);
    }

    /** The most recent changes of one indicator (or of all, for a blank one), newest first. */
    public Mono<List<Recorded>> history(int limit, String indicator) {
        return db.sql("SELECT * FROM threshold_changes WHERE (:indicator = '' OR indicator = :indicator) ORDER BY id DESC LIMIT :limit")
                .bind("indicator", indicator == null ? "" : indicator).bind("limit", limit)
                .map(Thresholds::recorded).all().collectList();
    }

    /** Every indicator's thresholds in force in general, and the runtime changes in force for team types and teams. */
    public Map<String, Object> summary() {
        return summary(current());
    }

    /** As {@link #summary()}, for the thresholds of a view. */
    public Map<String, Object> summary(View view) {
        java.util.Map<String, Object> general = new java.util.LinkedHashMap<>();
        for (Indicator i : Indicator.values()) {
            ThresholdSettings.Applied a = view.forIndicator(i);
            general.put(i.id(), Map.of("amber", a.amber(), "red", a.red(), "target", a.target(), "lead_officer", a.leadOfficer(),
                    "finding", i.finding()));
        }
        return Map.of("general", general, "configured_team_types", view.settings().teamTypeThresholds(),
                "configured_teams", view.settings().teamThresholds(),
                "runtime", view.changes().stream().filter(r -> !r.scopeKind().equals("all")).toList());
    }

    /** The most recent changes made at or before an instant, newest first. */
    public Mono<List<Recorded>> history(int limit, Instant until) {
        return db.sql("SELECT * FROM threshold_changes WHERE changed_at <= :at ORDER BY id DESC LIMIT :limit")
                .bind("at", until.atOffset(ZoneOffset.UTC)).bind("limit", limit)
                .map(Thresholds::recorded).all().collectList();
    }
}
