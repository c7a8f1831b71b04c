package org.workforcewatch.dashboard;

import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The teams a person has pinned for quick access ({@code GET} and {@code PUT /api/me/pins}), stored per user name so
 * that they follow the person to any device. Each person reads and changes only their own; a pin of a team that
 * has since gone is not shown.
 */
@RestController
class TeamPins {

    static final int MAX_PINS = 20;

    /** A pinned team, with its name for the masthead. */
    record Pin(String teamId, String teamName) {
    }

    record Pins(List<Pin> teams) {
    }

    /** One thing wrong with the pins sent: which entry (null for the body), the value, and why. */
    record Error(Integer index, String team, String problem) {
    }

    private final DatabaseClient db;

    TeamPins(DatabaseClient db) {
        this.db = db;
    }

    @GetMapping("/api/me/pins")
    Mono<Pins> pins(Principal who) {
        return db.sql("""
                        SELECT p.team_id, t.team_name FROM team_pins p JOIN teams t ON t.team_id = p.team_id
                        WHERE p.user_name = :user ORDER BY p.position, p.team_id
                        """)
                .bind("user", who.getName())
                .map(r -> new Pin(r.get("team_id", String.class), r.get("team_name", String.class)))
                .all().collectList().map(Pins::new);
    }

    /** Body: {@code {"teams": ["T01", ...]}}, in the order to show them; replaces the caller's pins. */
    @PutMapping("/api/me/pins")
    Mono<Pins> replace(@RequestBody JsonNode body, Principal who) {
        List<Error> errors = new ArrayList<>();
        JsonNode teams = body == null || !body.isObject() ? null : body.get("teams");
        List<String> ids = new ArrayList<>();
        if (teams == null || !teams.isArray()) {
            errors.add(new Error(null, null, "the body must be {\"teams\": [team ids]}"));
        } else {
            if (teams.size() > MAX_PINS) {
                errors.add(new Error(null, null, "at most " + MAX_PINS + " teams may be pinned, got " + teams.size()));
            }
            Set<String> seen = new LinkedHashSet<>();
            for (int i = 0; i < teams.size(); i++) {
                JsonNode t = teams.get(i);
                if (!t.isString() || t.stringValue().isBlank()) {
                    errors.add(new Error(i, String.valueOf(t), "a team id must be text"));
                } else if (!seen.add(t.stringValue())) {
                    errors.add(new Error(i, t.stringValue(), "pinned twice"));
                } else {
                    ids.add(t.stringValue());
                }
            }
        }
        if (!errors.isEmpty()) {
            return Mono.error(invalid(errors));
        }
        String[] wanted = ids.toArray(String[]::new);
        Mono<Set<String>> known = ids.isEmpty() ? Mono.just(Set.of())
                : db.sql("SELECT team_id FROM teams WHERE team_id = ANY (:ids)").bind("ids", wanted)
                        .map(r -> r.get("team_id", String.class)).all().collect(Collectors.toSet());
        return known.flatMap(existing -> {
            List<Error> unknown = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                if (!existing.contains(ids.get(i))) {
                    unknown.add(new Error(i, ids.get(i), "no team with team_id '" + ids.get(i) + "' (see GET /api/authority)"));
                }
            }
            if (!unknown.isEmpty()) {
                return Mono.error(invalid(unknown));
            }
            // the pins no longer wanted go, the others keep when they were first pinned and take their new place
            return db.sql("""
                            WITH gone AS (DELETE FROM team_pins WHERE user_name = :user AND NOT (team_id = ANY (:teams)))
                            INSERT INTO team_pins (user_name, team_id, position)
                            SELECT :user, u.team_id, u.n - 1 FROM unnest(CAST(:teams AS text[])) WITH ORDINALITY AS u(team_id, n)
                            ON CONFLICT (user_name, team_id) DO UPDATE SET position = excluded.position
                            """)
                    .bind("user", who.getName()).bind("teams", wanted)
                    .then().then(pins(who));
        });
    }

    private static ErrorResponseException invalid(List<Error> errors) {
        return org.workforcewatch.config.Unprocessable.of("invalid-pins", "The pinned teams are not valid",
                errors.isEmpty() ? "" : "The pins were not saved: " + errors.get(0).problem(),
                "The pins were not saved: " + errors.size() + " problems, each listed with its place in the list.", "errors", errors);
    }
}
