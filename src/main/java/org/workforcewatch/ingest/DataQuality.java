package org.workforcewatch.ingest;

import io.r2dbc.postgresql.codec.Json;
import java.time.OffsetDateTime;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
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
                         OffsetDateTime resolvedAt, String resolution, String resolvedBy, String note) {
    }

    /** A person's answer to a flag. */
    record Confirmation(String resolution, String by, String note) {
    }

    private final DatabaseClient db;
    private final JsonMapper json;

    DataQuality(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    /** A value a secondary source (census return, SSD extract) gives differently from the one kept. */
    record SourceConflict(long id, String dataset, Map<String, Object> record, String field, String storedValue,
                          String incomingValue, String source, Long importId, OffsetDateTime flaggedAt) {
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
                        row.get("import_id", Long.class), row.get("flagged_at", OffsetDateTime.class)))
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
                        row.get("resolved_by", String.class), row.get("note", String.class)))
                .all();
    }

    /** Confirms a flagged record, e.g. resolution "left" (it ended outside the extract) or "still_current". */
    @PostMapping("/api/data-quality/missing/{id}/confirm")
    Mono<Map<String, Object>> confirm(@PathVariable long id, @RequestBody Confirmation confirmation) {
        if (confirmation == null || confirmation.resolution() == null || confirmation.resolution().isBlank()) {
            return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "say what happened in \"resolution\", e.g. \"left\" or \"still_current\""));
        }
        return db.sql("UPDATE missing_records SET resolved_at = now(), resolution = :resolution, resolved_by = :by, note = :note"
                        + " WHERE id = :id AND resolved_at IS NULL")
                .bind("resolution", confirmation.resolution().strip())
                .bind("by", confirmation.by() == null ? "unknown" : confirmation.by().strip())
                .bind("note", confirmation.note() == null ? "" : confirmation.note())
                .bind("id", id).fetch().rowsUpdated()
                .flatMap(n -> n == 0 ? Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND,
                        "no open flag with id " + id)) : Mono.just(Map.<String, Object>of("id", id, "resolved", true)));
    }
}
