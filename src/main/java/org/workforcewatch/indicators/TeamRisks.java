package org.workforcewatch.indicators;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Risks grouped by team: one row per team at risk with its red and amber indicators, worst team first, and
 * beside them only those service and authority risks that add something a team row does not.
 *
 * <p>Order of teams: any red first; then more reds, then more ambers; then the larger excess of its worst
 * indicator; then team id. Within a team: red before amber, then the larger excess, then the indicator.
 * The excess ({@link Risk#past}) is how far the value is past the threshold it crossed, relative to that
 * threshold, so a caseload and a rate compare.
 *
 * <p>A service or authority risk is listed in {@link #wider} when it is worse than every risk of the same
 * indicator among the teams under it (for the authority: every team and service), a team not at risk
 * counting as below amber. So it is listed where none of its teams is at risk for that indicator (an
 * indicator that exists only at that level included), or where it is red and its teams only amber. That is
 * decided on all the risks before the filters apply, so a filter never makes a wider risk appear.
 *
 * <p>The filters (service, severity, indicator; null for any) keep the team risks that match, and the teams
 * left with at least one; a wider risk is kept if it matches them (an authority risk has no service).
 */
public record TeamRisks(List<Team> teams, List<Risk> wider) {

    /** A team at risk, with its red and amber indicators. */
    public record Team(String team, String teamName, String service, String severity, int red, int amber, List<Entry> risks) {
    }

    /** One indicator of a team at red or amber. */
    public record Entry(String indicator, String severity, Double value, double threshold, double past, LocalDate since) {
    }

    /** What to keep: each null for any. */
    public record Filter(String service, String severity, String indicator) {
        public static final Filter NONE = new Filter(null, null, null);

        public boolean keeps(Risk r) {
            return (service == null || service.equals(r.level().equals("service") ? r.scope() : r.service()))
                    && (severity == null || severity.equals(r.severity()))
                    && (indicator == null || indicator.equals(r.indicator()));
        }
    }

    /** Groups active risks (any level) by team; {@code teamNames} gives each team id its name (may miss some). */
    public static TeamRisks of(List<Risk> risks, Map<String, String> teamNames, Filter filter) {
        Map<String, List<Risk>> byTeam = new LinkedHashMap<>();
        for (Risk r : risks) {
            if (r.level().equals("team") && filter.keeps(r)) {
                byTeam.computeIfAbsent(r.scope(), k -> new ArrayList<>()).add(r);
            }
        }
        List<Team> teams = new ArrayList<>();
        byTeam.forEach((team, list) -> {
            List<Entry> entries = list.stream().map(TeamRisks::entry).sorted(WORST_ENTRY_FIRST).toList();
            int red = (int) entries.stream().filter(e -> e.severity().equals("red")).count();
            teams.add(new Team(team, teamNames.get(team), list.get(0).service(), red > 0 ? "red" : "amber", red,
                    entries.size() - red, entries));
        });
        teams.sort(WORST_TEAM_FIRST);
        List<Risk> wider = risks.stream().filter(r -> !r.level().equals("team") && addsToTeams(r, risks) && filter.keeps(r))
                .sorted(Comparator.comparingInt((Risk r) -> rank(r.severity())).reversed()
                        .thenComparing(r -> r.level().equals("authority") ? 0 : 1)
                        .thenComparing(Comparator.comparingDouble(Risk::past).reversed())
                        .thenComparing(Risk::indicator).thenComparing(Risk::scope))
                .toList();
        return new TeamRisks(teams, wider);
    }

    private static Entry entry(Risk r) {
        return new Entry(r.indicator(), r.severity(), r.value(), r.threshold(), r.past(), r.since());
    }

    /** The rule of the class comment: worse than everything of the same indicator under it. */
    private static boolean addsToTeams(Risk wide, List<Risk> all) {
        int worstBelow = 0;
        for (Risk r : all) {
            boolean below = r.level().equals("team") && (wide.level().equals("authority") || Objects.equals(r.service(), wide.scope()))
                    || wide.level().equals("authority") && r.level().equals("service");
            if (below && r.indicator().equals(wide.indicator())) {
                worstBelow = Math.max(worstBelow, rank(r.severity()));
            }
        }
        return rank(wide.severity()) > worstBelow;
    }

    private static int rank(String severity) {
        return switch (severity) {
            case "red" -> 2;
            case "amber" -> 1;
            default -> 0;
        };
    }

    private static final Comparator<Entry> WORST_ENTRY_FIRST = Comparator.comparingInt((Entry e) -> rank(e.severity())).reversed()
            .thenComparing(Comparator.comparingDouble(Entry::past).reversed())
            .thenComparing(Entry::indicator);

    private static final Comparator<Team> WORST_TEAM_FIRST = Comparator.comparingInt((Team t) -> t.red() > 0 ? 0 : 1)
            .thenComparing(Comparator.comparingInt(Team::red).reversed())
            .thenComparing(Comparator.comparingInt(Team::amber).reversed())
            .thenComparing(Comparator.comparingDouble((Team t) -> t.risks().get(0).past()).reversed())
            .thenComparing(Team::team);

    /** The team rows' ids, worst team first. */
    public List<String> teamIds() {
        return teams.stream().map(Team::team).toList();
    }
}
