package org.workforcewatch.spc;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.workforcewatch.indicators.Indicator;
import reactor.core.publisher.Mono;

/**
 * The recorded dates from which SPC charts start a new baseline ({@code spc_rebases}): for one indicator or
 * every indicator, at one level and scope or everywhere ({@code level} "all"). Recorded with who and why;
 * never changed.
 */
@Component
public class Rebases {

    /** What to record. {@code indicator} null: every indicator; {@code level} "all": every chart at every level. */
    public record Request(String indicator, String level, String scope, LocalDate startsOn, String reason) {
    }

    /** A recorded rebase, as GET /api/spc/baselines lists it. */
    public record Rebase(long id, String indicator, String level, String scope, LocalDate startsOn, String recordedBy,
                         String reason, OffsetDateTime recordedAt) {
    }

    /** Announced after a rebase is recorded: charts drawn before it are out of date. */
    public record Recorded(Rebase rebase) {
    }

    static final List<String> LEVELS = List.of("all", "authority", "service", "team");

    private final DatabaseClient db;
    private final ApplicationEventPublisher events;

    private final Clock clock;

    Rebases(DatabaseClient db, ApplicationEventPublisher events, Clock clock) {
        this.db = db;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Checks and records a rebase. Throws {@link IllegalArgumentException} naming the field and what is wrong:
     * an unknown indicator or level, a missing scope or reason, a date in the future, a scope at a level that
     * has none, or a team or service the authority does not have (that error is signalled by the Mono).
     */
    public Mono<Rebase> record(Request r, String recordedBy, LocalDate today) {
        String indicator = r.indicator() == null || r.indicator().isBlank() ? null : Indicator.byId(r.indicator().trim())
                .orElseThrow(() -> new IllegalArgumentException("indicator: no indicator " + r.indicator()
                        + " (leave it out for every indicator)")).id();
        String level = r.level() == null ? "" : r.level().trim().toLowerCase(Locale.ROOT);
        if (!LEVELS.contains(level)) {
            throw new IllegalArgumentException("level must be one of " + LEVELS + " (all: every chart at every level); got "
                    + r.level());
        }
        String scope = r.scope() == null ? "" : r.scope().trim();
        boolean scoped = level.equals("service") || level.equals("team");
        if (scoped && scope.isEmpty()) {
            throw new IllegalArgumentException("scope (a team id or a service name) is needed for level " + level);
        }
        if (!scoped && !scope.isEmpty()) {
            throw new IllegalArgumentException("scope must be left out for level " + level + "; got " + scope);
        }
        if (r.startsOn() == null) {
            throw new IllegalArgumentException("starts_on (YYYY-MM-DD) is needed: the first day of the new baseline");
        }
        if (r.startsOn().isAfter(today)) {
            throw new IllegalArgumentException("starts_on " + r.startsOn() + " is in the future: record a rebase once it has happened");
        }
        if (r.reason() == null || r.reason().isBlank()) {
            throw new IllegalArgumentException("reason is needed: a rebase changes every verdict after it (a restructure, a new "
                    + "definition)");
        }
        if (recordedBy == null || recordedBy.isBlank()) {
            throw new IllegalArgumentException("recorded_by is needed: every rebase is recorded with who made it");
        }
        // a rebase of a team or service that is not there would never apply to any chart
        Mono<Boolean> known = !scoped ? Mono.just(true)
                : db.sql("SELECT EXISTS (SELECT 1 FROM teams WHERE " + (level.equals("team") ? "team_id" : "service")
                        + " = :scope) AS known").bind("scope", scope)
                .map(row -> Boolean.TRUE.equals(row.get("known", Boolean.class))).one();
        return known.flatMap(exists -> exists ? insert(indicator, level, scope, r, recordedBy)
                : Mono.error(new IllegalArgumentException("scope: the authority has no " + level + " " + scope
                        + " (GET /api/authority lists its services and teams)")));
    }

    private Mono<Rebase> insert(String indicator, String level, String scope, Request r, String recordedBy) {
        DatabaseClient.GenericExecuteSpec insert = db.sql("INSERT INTO spc_rebases (indicator, level, scope, starts_on,"
                + " recorded_by, reason, recorded_at) VALUES (:indicator, :level, :scope, :starts, :by, :reason, :at) RETURNING *");
        insert = indicator == null ? insert.bindNull("indicator", String.class) : insert.bind("indicator", indicator);
        return insert.bind("level", level).bind("scope", scope).bind("starts", r.startsOn()).bind("by", recordedBy)
                .bind("reason", r.reason().trim()).bind("at", clock.instant().atOffset(ZoneOffset.UTC))
                .map(Rebases::rebase).one()
                .doOnNext(recorded -> events.publishEvent(new Recorded(recorded)));
    }

    /** Every recorded rebase, latest first. */
    public Mono<List<Rebase>> all() {
        return db.sql("SELECT * FROM spc_rebases ORDER BY starts_on DESC, id DESC").map(Rebases::rebase).all().collectList();
    }

    /**
     * The rebases that apply to the charts of one level and scope (scope null at the authority): those recorded
     * there and those for every level, earliest first. Each names its indicator, or none for every indicator.
     * {@code recordedBy} (null: now) leaves out rebases recorded after it, so a past month's pack reads as it did then.
     */
    Mono<List<Rebase>> applying(String level, String scope, Instant recordedBy) {
        return db.sql("SELECT * FROM spc_rebases WHERE (level = 'all' OR (level = :level AND scope = :scope))"
                        + " AND recorded_at <= :by ORDER BY starts_on")
                .bind("level", level).bind("scope", scope == null ? "" : scope)
                .bind("by", (recordedBy == null ? clock.instant() : recordedBy).atOffset(ZoneOffset.UTC))
                .map(Rebases::rebase).all().collectList();
    }

    private static Rebase rebase(io.r2dbc.spi.Readable r) {
        return new Rebase(r.get("id", Long.class), r.get("indicator", String.class), r.get("level", String.class),
                r.get("scope", String.class), r.get("starts_on", LocalDate.class), r.get("recorded_by", String.class),
                r.get("reason", String.class), r.get("recorded_at", OffsetDateTime.class));
    }
}
