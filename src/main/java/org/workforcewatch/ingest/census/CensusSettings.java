package org.workforcewatch.ingest.census;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which team a census worker belongs to ({@code workforce.census.team-mapping}): the name or code of a team or cost
 * centre, as a worker's {@code CostCentre} gives it, to a team id of the teams file. The Department's return names
 * no team, so only a worker whose cost centre is mapped to a stored team enters the live figures; every other
 * worker stays in the dated snapshot and is listed for a person to confirm (GET /api/data-quality).
 *
 * <p>Cost centres are matched without regard to case or surrounding spaces. A blank name or team id, or one cost
 * centre mapped to two teams, stops start-up. Whether a team exists can only be known when a return is loaded.
 */
@ConfigurationProperties("workforce.census")
public record CensusSettings(Map<String, String> teamMapping) {

    private static final String PREFIX = "workforce.census.team-mapping";

    public CensusSettings {
        Map<String, String> mapping = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        (teamMapping == null ? Map.<String, String>of() : teamMapping).forEach((centre, team) -> {
            String key = centre == null ? "" : normalise(centre);
            String id = team == null ? "" : team.strip();
            if (key.isEmpty()) {
                problems.add(PREFIX + " has a blank cost centre (mapped to '" + id + "')");
            } else if (id.isEmpty()) {
                problems.add(PREFIX + ".[" + centre + "] names no team id");
            } else if (id.length() > 64) {
                problems.add(PREFIX + ".[" + centre + "]: '" + id + "' is longer than a team id may be (64)");
            } else {
                String before = mapping.putIfAbsent(key, id);
                if (before != null && !before.equals(id)) {
                    problems.add(PREFIX + " maps the cost centre '" + centre.strip() + "' to both " + before + " and " + id
                            + " (cost centres are matched without regard to case)");
                }
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid census settings: " + String.join("; ", problems));
        }
        teamMapping = Map.copyOf(mapping);
    }

    /** A cost centre as it is matched: trimmed, lower case. */
    static String normalise(String costCentre) {
        return costCentre.strip().toLowerCase(Locale.ROOT);
    }
}
