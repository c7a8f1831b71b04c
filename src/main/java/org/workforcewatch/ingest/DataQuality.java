package org.workforcewatch.ingest;

import io.r2dbc.postgresql.codec.Json;
import java.time.OffsetDateTime;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.workforcewatch.audit.Audit;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a person must look at in the stored data: current records a later full extract no longer
 * contained (they stay as they were until someone confirms what happened), and values a secondary
 * source gives differently from the ones kept.
 */
@RestController
class DataQuality {

    record MissingRecord(long id, String dataset, Map<String, Object> record, long importId, OffsetDateTime flaggedAt,
                         OffsetDateTime resolvedAt, String resolution, String resolvedBy, String note, String toConfirm) {
    }

    /**
     * A person's answer to a flag: what happened ({@code resolution}, for a confirmation) and why ({@code reason}; an
     * older client's {@code note} is taken as the reason). Who answered is the signed-in person: a {@code by} in the body is
     * read but not trusted.
     */
    record Confirmation(String resolution, String by, String note, String reason) {

        String why() {
            return reason != null && !reason.isBlank() ? reason.strip() : note == null ? "" : note.strip();
        }
    }

    /** The kinds of flag a person answers, each with the table it is kept in. */
    private enum Kind {
        MISSING("missing_records"), CONFLICTS("source_conflicts");

        final String table;

        Kind(String table) {
            this.table = table;
        }
    }

    private final DatabaseClient db;
    private final JsonMapper json;

    DataQuality(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    /** A value a secondary source (census return, SSD extract) gives differently from the one kept. */
    record SourceConflict(long id, String dataset, Map<String, Object> record, String field, String storedValue,
                          String incomingValue, String source, Long importId, OffsetDateTime flaggedAt, String toConfirm) {
    }

    /** A census worker placed in no team, so in no live figure, and what a person should confirm. */
    record CensusWorkerNotPlaced(int collectionYear, int worker, String sweNo, String costCentre, String mappedTeam,
                                 long importId, String toConfirm) {
    }

    private static final String NOT_PLACED = """
            SELECT r.collection_year, r.import_id, w.worker_index, w.swe_no, w.cost_centre, w.mapped_team,
                   CASE WHEN w.cost_centre IS NULL
                        THEN 'the return gives no CostCentre for this worker: which team are they in? Give their'
                             || ' CostCentre and map it in workforce.census.team-mapping, or load them in the HR staff file'
                        WHEN w.mapped_team IS NULL
                        THEN 'which team is cost centre "' || w.cost_centre || '"? Map it to a team id in'
                             || ' workforce.census.team-mapping and load the return again'
                        ELSE 'cost centre "' || w.cost_centre || '" is mapped to team ' || w.mapped_team
                             || ', which is not among the stored teams: load the teams file or correct the mapping,'
                             || ' then load the return again'
                   END AS to_confirm
            FROM census_workers w JOIN census_returns r ON r.id = w.return_id
            WHERE w.team_id IS NULL
            ORDER BY r.collection_year DESC, w.worker_index
            LIMIT 1000
            """;

    @GetMapping("/api/data-quality")
    Mono<Map<String, Object>> overview() {
        Mono<Long> missingTotal = db.sql("SELECT count(*) AS n FROM missing_records WHERE resolved_at IS NULL")
                .map(r -> r.get("n", Long.class)).one();
        Mono<Long> conflictsTotal = db.sql("SELECT count(*) AS n FROM source_conflicts WHERE resolved_at IS NULL")
                .map(r -> r.get("n", Long.class)).one();
        Mono<Long> notPlacedTotal = db.sql("SELECT count(*) AS n FROM census_workers WHERE team_id IS NULL")
                .map(r -> r.get("n", Long.class)).one();
        return Mono.zip(missing("", false, 1000).collectList(), missingTotal, conflicts().collectList(), conflictsTotal,
                        censusNotPlaced().collectList(), notPlacedTotal)
                .map(t -> Map.of("missing_from_latest_extract", t.getT1(), "missing_from_latest_extract_total", t.getT2(),
                        "source_conflicts", t.getT3(), "source_conflicts_total", t.getT4(),
                        "census_workers_not_placed", t.getT5(), "census_workers_not_placed_total", t.getT6()));
    }

    private Flux<CensusWorkerNotPlaced> censusNotPlaced() {
        return db.sql(NOT_PLACED).map(row -> new CensusWorkerNotPlaced(row.get("collection_year", Integer.class),
                        row.get("worker_index", Integer.class), row.get("swe_no", String.class),
                        row.get("cost_centre", String.class), row.get("mapped_team", String.class),
                        row.get("import_id", Long.class), row.get("to_confirm", String.class)))
                .all();
    }

    private Flux<SourceConflict> conflicts() {
        return db.sql("SELECT * FROM source_conflicts WHERE resolved_at IS NULL ORDER BY id LIMIT 1000")
                .map(row -> new SourceConflict(row.get("id", Long.class), row.get("dataset", String.class),
                        json.readValue(row.get("record_key", Json.class).asString(), new TypeReference<Map<String, Object>>() { }),
                        row.get("field", String.class), row.get("stored_value", String.class),
                        row.get("incoming_value", String.class), row.get("source", String.class),
                        row.get("import_id", Long.class), row.get("flagged_at", OffsetDateTime.class),
                        conflictToConfirm(row.get("dataset", String.class), row.get("field", String.class),
                                row.get("stored_value", String.class), row.get("incoming_value", String.class),
                                row.get("source", String.class))))
                .all();
    }

    @GetMapping("/api/data-quality/missing")
    Flux<MissingRecord> missing(@RequestParam(defaultValue = "") String dataset,
                                @RequestParam(name = "include_resolved", defaultValue = "false") boolean includeResolved,
                                @RequestParam(defaultValue = "1000") int limit) {
        return db.sql("SELECT * FROM missing_records WHERE (:dataset = '' OR dataset = :dataset)"
                        + " AND (:all OR resolved_at IS NULL) ORDER BY id LIMIT :limit")
                .bind("dataset", dataset).bind("all", includeResolved).bind("limit", Math.max(1, Math.min(limit, 10_000)))
                .map(row -> new MissingRecord(row.get("id", Long.class), row.get("dataset", String.class),
                        json.readValue(row.get("record_key", Json.class).asString(), new TypeReference<Map<String, Object>>() { }),
                        row.get("import_id", Long.class), row.get("flagged_at", OffsetDateTime.class),
                        row.get("resolved_at", OffsetDateTime.class), row.get("resolution", String.class),
                        row.get("resolved_by", String.class), row.get("note", String.class),
                        missingToConfirm(row.get("dataset", String.class), row.get("import_id", Long.class))))
                .all();
    }

    /** What a person should confirm about a current record a later full extract no longer held. */
    static String missingToConfirm(String dataset, long importId) {
        return "the full " + dataset.replace('_', ' ') + " extract of import " + importId + " no longer holds this current record,"
                + " which is kept as it was: confirm it has ended outside the extract, or dismiss the flag if it is still current";
    }

    /** What a person should confirm about a value a secondary source gives differently. */
    static String conflictToConfirm(String dataset, String field, String stored, String incoming, String source) {
        return "the " + source + " source gives " + field.replace('_', ' ') + " as " + shown(incoming) + " where the stored "
                + dataset.replace('_', ' ') + " record has " + shown(stored) + ", which is kept: confirm the difference is real"
                + " (and correct it at its source), or dismiss the flag if the stored value is right";
    }

    private static String shown(String value) {
        return value == null || value.isBlank() ? "nothing" : "\"" + value + "\"";
    }

    /**
     * Confirms a flagged record, e.g. resolution "left" (it ended outside the extract) or "still_current", with a
     * reason.
     */
    @PostMapping("/api/data-quality/missing/{id}/confirm")
    Mono<Map<String, Object>> confirm(@PathVariable long id, @RequestBody Confirmation confirmation, Authentication caller,
                                      ServerWebExchange exchange) {
        if (confirmation == null || confirmation.resolution() == null || confirmation.resolution().isBlank()) {
            return Mono.error(refused(HttpStatus.BAD_REQUEST, "resolution",
                    "say what happened in \"resolution\", e.g. \"left\" or \"still_current\""));
        }
        return resolve(Kind.MISSING, id, confirmation.resolution().strip(), confirmation, caller, exchange);
    }

    /** Dismisses a flagged record: the flag is not a real problem (the record is still current), with a reason. */
    @PostMapping("/api/data-quality/missing/{id}/dismiss")
    Mono<Map<String, Object>> dismiss(@PathVariable long id, @RequestBody Confirmation body, Authentication caller,
                                      ServerWebExchange exchange) {
        return resolve(Kind.MISSING, id, "dismissed", body, caller, exchange);
    }

    /** Confirms a source conflict: the difference is real, with a reason. */
    @PostMapping("/api/data-quality/conflicts/{id}/confirm")
    Mono<Map<String, Object>> confirmConflict(@PathVariable long id, @RequestBody Confirmation body, Authentication caller,
                                              ServerWebExchange exchange) {
        String resolution = body == null || body.resolution() == null || body.resolution().isBlank() ? "confirmed"
                : body.resolution().strip();
        return resolve(Kind.CONFLICTS, id, resolution, body, caller, exchange);
    }

    /** Dismisses a source conflict: the stored value is right, with a reason. */
    @PostMapping("/api/data-quality/conflicts/{id}/dismiss")
    Mono<Map<String, Object>> dismissConflict(@PathVariable long id, @RequestBody Confirmation body, Authentication caller,
                                              ServerWebExchange exchange) {
        return resolve(Kind.CONFLICTS, id, "dismissed", body, caller, exchange);
    }

    private Mono<Map<String, Object>> resolve(Kind kind, long id, String resolution, Confirmation body, Authentication caller,
                                              ServerWebExchange exchange) {
        String reason = body == null ? "" : body.why();
        Map<String, Object> detail = new java.util.LinkedHashMap<>();
        detail.put("flag", kind.table);
        detail.put("id", id);
        detail.put("resolution", resolution);
        detail.put("reason", reason);
        Audit.detail(exchange, detail);
        if (reason.isEmpty()) {
            return Mono.error(refused(HttpStatus.UNPROCESSABLE_CONTENT, "reason",
                    "give a reason: every answer to a flag is recorded with why it was given"));
        }
        return db.sql("UPDATE " + kind.table + " SET resolved_at = now(), resolution = :resolution, resolved_by = :by, note = :note"
                        + " WHERE id = :id AND resolved_at IS NULL")
                .bind("resolution", resolution)
                .bind("by", caller.getName())
                .bind("note", reason)
                .bind("id", id).fetch().rowsUpdated()
                .flatMap(n -> n == 0 ? Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND,
                        "no open flag with id " + id + " among the " + kind.table.replace('_', ' ')))
                        : Mono.just(Map.<String, Object>of("id", id, "resolved", true, "resolution", resolution,
                        "resolved_by", caller.getName(), "reason", reason)));
    }

    /** A refusal naming the field that was wrong, as an RFC 9457 problem with {@code errors}. */
    private static ResponseStatusException refused(HttpStatus status, String field, String reason) {
        ResponseStatusException e = new ResponseStatusException(status, reason);
        e.getBody().setTitle("Answer to a data-quality flag refused");
        e.getBody().setProperty("errors", java.util.List.of(Map.of("field", field, "reason", reason)));
        return e;
    }
}
