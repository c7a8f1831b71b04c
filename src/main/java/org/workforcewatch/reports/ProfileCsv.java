package org.workforcewatch.reports;

import java.util.List;
import org.workforcewatch.csv.Csv;
import org.workforcewatch.indicators.Indicator;
import org.workforcewatch.indicators.IndicatorValue;
import org.workforcewatch.reports.WorkforceProfile.Profile;

/**
 * The profile's tables as CSV (RFC 4180: comma-separated, CRLF line ends, a header row, fields quoted where
 * they hold a comma, quote or line break). Values are the API's, unrounded; severities are written as the PDF
 * writes them (Green, Amber, Red: {@link Names#rag}), and the SPC verdicts as the API's codes, so a spreadsheet can
 * filter on them.
 *
 * <p>Cells are written by {@link Csv}, so a team named "=HYPERLINK(...)", say, cannot run in a spreadsheet.
 */
final class ProfileCsv {

    static final List<String> TABLES = List.of("summary", "teams", "risks");

    private ProfileCsv() {
    }

    static String table(Profile p, String table) {
        return switch (table) {
            case "summary" -> summary(p);
            case "teams" -> teams(p);
            case "risks" -> risks(p);
            default -> throw new IllegalArgumentException(table);
        };
    }

    static String summary(Profile p) {
        Csv csv = new Csv("month", "as_of", "indicator", "name", "unit", "value", "severity", "variation", "assurance",
                "last_month", "twelve_months_ago", "target", "amber", "red", "england", "region", "statistical_neighbours",
                "benchmark_year",
                "lead_officer", "finding");
        for (WorkforceProfile.SummaryRow r : p.summary()) {
            IndicatorValue v = r.value();
            csv.row(p.month(), p.asOf(), r.indicator().id(), Names.indicator(r.indicator()), r.indicator().unit().name().toLowerCase(java.util.Locale.ROOT),
                    v.value(), Names.rag(v.severity()), r.variation().json(), r.assurance().json(), r.lastMonth(), r.yearAgo(), v.target(),
                    v.amber(), v.red(), r.england(), r.region(), r.statisticalNeighbours(), r.benchmarkYear(), v.leadOfficer(), r.indicator().finding());
        }
        return csv.toString();
    }

    static String teams(Profile p) {
        Csv csv = new Csv("month", "as_of", "service", "team_id", "team_name", "team_type", "indicator", "name", "value",
                "severity", "amber", "red", "target", "lead_officer");
        for (WorkforceProfile.ServiceTeams s : p.services()) {
            for (WorkforceProfile.TeamRow t : s.teams()) {
                for (Indicator indicator : Indicator.values()) {
                    IndicatorValue v = t.values().get(indicator);
                    if (v != null) {
                        csv.row(p.month(), p.asOf(), s.service(), t.team().teamId(), t.team().teamName(), t.team().teamType(),
                                indicator.id(), Names.indicator(indicator), v.value(), Names.rag(v.severity()), v.amber(), v.red(), v.target(),
                                v.leadOfficer());
                    }
                }
            }
        }
        return csv.toString();
    }

    static String risks(Profile p) {
        Csv csv = new Csv("month", "as_of", "severity", "indicator", "name", "level", "scope", "where", "service", "value",
                "threshold", "amber", "red", "target", "since", "lead_officer", "finding");
        for (WorkforceProfile.RiskRow r : p.risks()) {
            IndicatorValue v = r.value();
            csv.row(p.month(), p.asOf(), Names.rag(v.severity()), r.indicator().id(), Names.indicator(r.indicator()), v.level(), v.scope(),
                    r.where(), v.service(), v.value(), r.threshold(), v.amber(), v.red(), v.target(), r.since(), v.leadOfficer(),
                    r.indicator().finding());
        }
        return csv.toString();
    }
}
