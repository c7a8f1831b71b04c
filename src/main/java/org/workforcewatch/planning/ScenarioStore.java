package org.workforcewatch.planning;

import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Saved scenarios, in the {@code scenarios} table, by name: the changes are kept as JSON exactly as the
 * API shows them (snake_case, each with its {@code type}).
 */
@Component
public class ScenarioStore {

    /** A saved scenario with who saved it and when. */
    public record Saved(String name, String description, List<Scenario.Change> changes, String createdBy,
                        Instant createdAt, Instant updatedAt) {

        public Scenario scenario() {
            return new Scenario(name, description, changes);
        }
    }

    /** The outcome of a save: the scenario as stored, and whether it is new. */
    public record Written(Saved saved, boolean created) {
    }

    private static final TypeReference<List<Scenario.Change>> CHANGES = new TypeReference<>() {
    };

    private static final String COLUMNS = "name, description, changes::text AS changes, created_by, created_at, updated_at";

    private final DatabaseClient db;
    private final JsonMapper json;

    ScenarioStore(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    /** Saves a new scenario; empty when one of that name exists already. */
    public Mono<Saved> create(Scenario scenario, String createdBy) {
        return db.sql("INSERT INTO scenarios (name, description, changes, created_by) VALUES (:name, :description, :changes,"
                        + " :createdBy) ON CONFLICT (name) DO NOTHING RETURNING " + COLUMNS)
                .bind("name", scenario.name())
                .bind("description", textOrNull(scenario.description()))
                .bind("changes", changesJson(scenario.changes()))
                .bind("createdBy", textOrNull(createdBy))
                .map(this::saved).one();
    }

    /** Saves a scenario in place of the one of the same name (kept: who created it and when), or as a new one. */
    public Mono<Written> replace(Scenario scenario, String by) {
        return db.sql("INSERT INTO scenarios (name, description, changes, created_by) VALUES (:name, :description, :changes,"
                        + " :createdBy) ON CONFLICT (name) DO UPDATE SET description = excluded.description,"
                        + " changes = excluded.changes, updated_at = now() RETURNING " + COLUMNS + ", (xmax = 0) AS created")
                .bind("name", scenario.name())
                .bind("description", textOrNull(scenario.description()))
                .bind("changes", changesJson(scenario.changes()))
                .bind("createdBy", textOrNull(by))
                .map(row -> new Written(saved(row), Boolean.TRUE.equals(row.get("created", Boolean.class)))).one();
    }

    public Flux<Saved> list() {
        return db.sql("SELECT " + COLUMNS + " FROM scenarios ORDER BY name").map(this::saved).all();
    }

    public Mono<Saved> get(String name) {
        return db.sql("SELECT " + COLUMNS + " FROM scenarios WHERE name = :name").bind("name", name).map(this::saved).one();
    }

    /** True when a scenario of that name was deleted. */
    public Mono<Boolean> delete(String name) {
        return db.sql("DELETE FROM scenarios WHERE name = :name").bind("name", name).fetch().rowsUpdated().map(n -> n > 0);
    }

    private Json changesJson(List<Scenario.Change> changes) {
        return Json.of(json.writerFor(CHANGES).writeValueAsString(changes));
    }

    private Saved saved(Readable row) {
        return new Saved(row.get("name", String.class), row.get("description", String.class),
                json.readValue(row.get("changes", String.class), CHANGES), row.get("created_by", String.class),
                row.get("created_at", OffsetDateTime.class).toInstant(), row.get("updated_at", OffsetDateTime.class).toInstant());
    }

    /** Binds a nullable text value. */
    private static Object textOrNull(String s) {
        return org.springframework.r2dbc.core.Parameter.fromOrEmpty(s, String.class);
    }
}
