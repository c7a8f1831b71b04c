package org.workforcewatch.indicators;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The thresholds in force: the configuration ({@link ThresholdSettings}) with the changes an
 * administrator made at runtime on top (kept in threshold_changes, the latest per indicator and scope).
 * Precedence, most specific last: general, team type, team; at each, runtime over configuration.
 */
@Component
public class Thresholds {

    /** A runtime change of one indicator's thresholds, for everything, a team type or a team. */
    public record Change(String indicator, String scopeKind, String scope, Double amber, Double red, Double target,
                         String leadOfficer, String changedBy, String reason) {
    }

    /** A recorded change, as GET /api/thresholds lists it. */
    public record Recorded(long id, String indicator, String scopeKind, String scope, double amber, double red, Double target,
                           String leadOfficer, String changedBy, String reason, OffsetDateTime changedAt) {
    }

    /** Published after a change took effect. */
    public record Changed(Recorded change) {
    }

    private final ThresholdSettings settings;
    private final DatabaseClient db;
    private final ApplicationEventPublisher events;
    private final AtomicReference<List<Recorded>> latest = new AtomicReference<>(List.of());
    /** Grows whenever the changes in force differ from before: answers built with the old ones are stale. */
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

    Thresholds(ThresholdSettings settings, DatabaseClient db, ApplicationEventPublisher events) {
        this.settings = settings;
        this.db = db;
        this.events = events;
    }

    @EventListener(ApplicationReadyEvent.class)
    void load() {
        reload().block();
    }

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

    private ThresholdSettings.Applied runtime(ThresholdSettings.Applied base, Indicator indicator, String kind, String scope) {
        for (Recorded r : latest.get()) {
            if (r.indicator().equals(indicator.id()) && r.scopeKind().equals(kind) && r.scope().equals(scope)) {
                return new ThresholdSettings.Applied(r.amber(), r.red(), r.target() != null ? r.target() : base.target(),
                        r.leadOfficer() != null ? r.leadOfficer() : base.leadOfficer());
            }
        }
        return base;
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
        List<String> problems = ThresholdSettings.problems(indicator.id(), new ThresholdSettings.Applied(amber, red, target, null));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        if (c.changedBy() == null || c.changedBy().isBlank()) {
            throw new IllegalArgumentException("changed_by is needed: every change is recorded with who made it");
        }
        return db.sql("INSERT INTO threshold_changes (indicator, scope_kind, scope, amber, red, target, lead_officer, changed_by,"
                        + " reason) VALUES (:indicator, :kind, :scope, :amber, :red, :target, :lead, :by, :reason) RETURNING id")
                .bind("indicator", indicator.id()).bind("kind", kind).bind("scope", kind.equals("all") ? "" : c.scope())
                .bind("amber", amber).bind("red", red)
                .bind("target", target)
                .bind("lead", c.leadOfficer() != null ? c.leadOfficer() : current.leadOfficer())
                .bind("by", c.changedBy()).bind("reason", c.reason() == null ? "" : c.reason())
                .map(r -> r.get("id", Long.class)).one()
                .flatMap(id -> reload().then(history(1)).map(list -> list.get(0)))
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
        return new Recorded(r.get("id", Long.class), r.get("indicator", String.class), r.get("scope_kind", String.class),
                r.get("scope", String.class), r.get("amber", BigDecimal.class).doubleValue(),
                r.get("red", BigDecimal.class).doubleValue(), target == null ? null : target.doubleValue(),
                r.get("lead_officer", String.class), r.get("changed_by", String.class), r.get("reason", String.class),
                r.get("changed_at", OffsetDateTime.class));
    }

    /** Every indicator's thresholds in force in general, and the runtime changes in force for team types and teams. */
    public Map<String, Object> summary() {
        java.util.Map<String, Object> general = new java.util.LinkedHashMap<>();
        for (Indicator i : Indicator.values()) {
            ThresholdSettings.Applied a = forIndicator(i);
            general.put(i.id(), Map.of("amber", a.amber(), "red", a.red(), "target", a.target(), "lead_officer", a.leadOfficer(),
                    "finding", i.finding()));
        }
        return Map.of("general", general, "configured_team_types", settings.teamTypeThresholds(),
                "configured_teams", settings.teamThresholds(),
                "runtime", latest.get().stream().filter(r -> !r.scopeKind().equals("all")).toList());
    }
}
