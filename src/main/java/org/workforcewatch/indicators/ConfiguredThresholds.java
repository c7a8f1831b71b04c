package org.workforcewatch.indicators;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The thresholds configuration in one canonical text, as threshold_configurations keeps it: every indicator's general
 * amber, red, target and lead officer (the built-in defaults included, so a change of them is a change too), then the
 * team-type and team levels as configured, keys sorted. Two configurations that rate everything alike have the same
 * text however the YAML spelled or ordered them.
 */
final class ConfiguredThresholds {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ConfiguredThresholds() {
    }

    static String canonical(ThresholdSettings settings) {
        Map<String, Object> general = new TreeMap<>();
        for (Indicator i : Indicator.values()) {
            ThresholdSettings.Applied a = settings.forIndicator(i);
            general.put(i.id(), level(new ThresholdSettings.Level(a.amber(), a.red(), a.target(), a.leadOfficer())));
        }
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("general", general);
        all.put("team_types", scoped(settings.teamTypeThresholds()));
        all.put("teams", scoped(settings.teamThresholds()));
        return JSON.writeValueAsString(all);
    }

    /** The settings a canonical text stands for. */
    static ThresholdSettings settings(String canonical) {
        Map<String, Map<String, Object>> all = JSON.readValue(canonical, new TypeReference<>() {
        });
        return new ThresholdSettings(levels(all.get("general")), nested(all.get("team_types")), nested(all.get("teams")));
    }

    private static Map<String, Object> scoped(Map<String, Map<String, ThresholdSettings.Level>> byScope) {
        Map<String, Object> out = new TreeMap<>();
        byScope.forEach((scope, levels) -> {
            Map<String, Object> byIndicator = new TreeMap<>();
            levels.forEach((indicator, level) -> byIndicator.put(indicator, level(level)));
            out.put(scope, byIndicator);
        });
        return out;
    }

    private static Map<String, Object> level(ThresholdSettings.Level level) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (level == null) {
            return out;
        }
        out.put("amber", level.amber());
        out.put("red", level.red());
        out.put("target", level.target());
        out.put("lead_officer", level.leadOfficer());
        out.values().removeIf(java.util.Objects::isNull);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ThresholdSettings.Level> levels(Object byIndicator) {
        Map<String, ThresholdSettings.Level> out = new LinkedHashMap<>();
        if (byIndicator != null) {
            ((Map<String, Map<String, Object>>) byIndicator).forEach((indicator, l) -> out.put(indicator,
                    new ThresholdSettings.Level(number(l.get("amber")), number(l.get("red")), number(l.get("target")),
                            (String) l.get("lead_officer"))));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, ThresholdSettings.Level>> nested(Object byScope) {
        Map<String, Map<String, ThresholdSettings.Level>> out = new LinkedHashMap<>();
        if (byScope != null) {
            ((Map<String, Object>) byScope).forEach((scope, levels) -> out.put(scope, levels(levels)));
        }
        return out;
    }

    private static Double number(Object value) {
        return value == null ? null : ((Number) value).doubleValue();
    }
}
