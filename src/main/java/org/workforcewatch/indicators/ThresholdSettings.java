package org.workforcewatch.indicators;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The performance framework from configuration: for each indicator its amber and red thresholds, its
 * target and lead officer ({@code workforce.thresholds.<indicator>}), with threshold overrides per team
 * type ({@code workforce.team-type-thresholds.<team_type>.<indicator>}) and per team
 * ({@code workforce.team-thresholds.<team_id>.<indicator>}). Anything not configured takes the
 * defaults of docs/DOMAIN.md. An unknown indicator or amber beyond red stops start-up.
 */
@ConfigurationProperties("workforce")
public record ThresholdSettings(Map<String, Level> thresholds, Map<String, Map<String, Level>> teamTypeThresholds,
                                Map<String, Map<String, Level>> teamThresholds) {

    /** Any part may be left out; what is left out is inherited. */
    public record Level(Double amber, Double red, Double target, String leadOfficer) {
    }

    /** The thresholds that apply somewhere, with the framework's target and lead officer. */
    public record Applied(double amber, double red, double target, String leadOfficer) {
        public String severity(double value) {
            return value >= red ? "red" : value >= amber ? "amber" : "ok";
        }
    }

    public ThresholdSettings {
        thresholds = byIndicator(thresholds == null ? Map.of() : thresholds, "workforce.thresholds");
        teamTypeThresholds = nested(teamTypeThresholds, "workforce.team-type-thresholds");
        teamThresholds = nested(teamThresholds, "workforce.team-thresholds");
        List<String> problems = new ArrayList<>();
        for (Indicator i : Indicator.values()) {
            Applied base = merge(defaults(i), thresholds.get(i.id()));
            check(problems, "workforce.thresholds." + i.id(), base);
            teamTypeThresholds.forEach((type, levels) -> check(problems, "workforce.team-type-thresholds." + type + "." + i.id(),
                    merge(base, levels.get(i.id()))));
            teamThresholds.forEach((team, levels) -> check(problems, "workforce.team-thresholds." + team + "." + i.id(),
                    merge(base, levels.get(i.id()))));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid thresholds: " + String.join("; ", problems));
        }
    }

    /** The thresholds for an indicator at authority or service level. */
    public Applied forIndicator(Indicator indicator) {
        return merge(defaults(indicator), thresholds.get(indicator.id()));
    }

    /** What configuration says for an indicator in a team type, if anything. */
    public Level teamTypeLevel(Indicator indicator, String teamType) {
        Map<String, Level> levels = teamType == null ? null : teamTypeThresholds.get(normalise(teamType));
        return levels == null ? null : levels.get(indicator.id());
    }

    /** What configuration says for an indicator in one team, if anything. */
    public Level teamLevel(Indicator indicator, String teamId) {
        Map<String, Level> levels = teamId == null ? null : teamThresholds.get(normalise(teamId));
        return levels == null ? null : levels.get(indicator.id());
    }

    /** The thresholds for an indicator in a team: the team's own, else its team type's, else the general ones. */
    public Applied forTeam(Indicator indicator, String teamId, String teamType) {
        Applied applied = forIndicator(indicator);
        if (teamType != null && teamTypeThresholds.containsKey(normalise(teamType))) {
            applied = merge(applied, teamTypeThresholds.get(normalise(teamType)).get(indicator.id()));
        }
        if (teamId != null && teamThresholds.containsKey(normalise(teamId))) {
            applied = merge(applied, teamThresholds.get(normalise(teamId)).get(indicator.id()));
        }
        return applied;
    }

    private static Applied defaults(Indicator i) {
        return new Applied(i.defaultAmber(), i.defaultRed(), i.defaultTarget(), i.defaultLeadOfficer());
    }

    static Applied merge(Applied base, Level level) {
        if (level == null) {
            return base;
        }
        return new Applied(level.amber() != null ? level.amber() : base.amber(), level.red() != null ? level.red() : base.red(),
                level.target() != null ? level.target() : base.target(),
                level.leadOfficer() != null ? level.leadOfficer() : base.leadOfficer());
    }

    private static void check(List<String> problems, String where, Applied a) {
        problems.addAll(problems(where, a));
    }

    /** One thing wrong with thresholds: the field (amber, red, target, reason) and why. */
    public record FieldProblem(String field, String reason) {
    }

    /**
     * What is wrong with thresholds, wherever they come from (configuration, or a change at runtime): each a finite
     * number (not NaN or infinite), none negative, amber at most red.
     */
    static List<String> problems(String where, Applied a) {
        return fieldProblems(a).stream().map(p -> where + ": " + p.reason()).toList();
    }

    /** As {@link #problems(String, Applied)}, each naming the field it is about. */
    static List<FieldProblem> fieldProblems(Applied a) {
        List<FieldProblem> problems = new ArrayList<>();
        for (Map.Entry<String, Double> value : List.of(Map.entry("amber", a.amber()), Map.entry("red", a.red()),
                Map.entry("target", a.target()))) {
            if (!Double.isFinite(value.getValue())) {
                problems.add(new FieldProblem(value.getKey(), value.getKey() + " must be a finite number, got " + value.getValue()));
            }
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        if (a.amber() > a.red()) {
            problems.add(new FieldProblem("amber", "amber (" + a.amber() + ") is beyond red (" + a.red() + "); every indicator is"
                    + " higher-is-worse, so amber must be at most red"));
        }
        for (Map.Entry<String, Double> value : List.of(Map.entry("amber", a.amber()), Map.entry("red", a.red()))) {
            if (value.getValue() < 0) {
                problems.add(new FieldProblem(value.getKey(), "thresholds must not be negative (" + value.getKey() + " is "
                        + value.getValue() + ")"));
            }
        }
        return problems;
    }

    /** Keys as written in YAML (caseload_per_fte, caseload-per-fte, or as relaxed binding left them) → indicator ids. */
    private static Map<String, Level> byIndicator(Map<String, Level> levels, String where) {
        Map<String, Level> out = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        levels.forEach((key, level) -> {
            String normalised = normalise(key);
            Indicator match = Arrays.stream(Indicator.values()).filter(i -> normalise(i.id()).equals(normalised)).findFirst()
                    .orElse(null);
            if (match == null) {
                unknown.add(key);
            } else {
                out.put(match.id(), level);
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Invalid thresholds: unknown indicator(s) " + unknown + " in " + where
                    + "; the indicators are " + Arrays.stream(Indicator.values()).map(Indicator::id).toList());
        }
        return Map.copyOf(out);
    }

    private static Map<String, Map<String, Level>> nested(Map<String, Map<String, Level>> levels, String where) {
        Map<String, Map<String, Level>> out = new HashMap<>();
        if (levels != null) {
            // relaxed binding may drop the punctuation of a map key (out_of_hours → outofhours): compare without it
            levels.forEach((scope, byKey) -> out.put(normalise(scope), byIndicator(byKey, where + "." + scope)));
        }
        return Map.copyOf(out);
    }

    private static String normalise(String key) {
        return key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
