package org.workforcewatch.returns;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.workforcewatch.agency.AgencyRegister.Assignment;
import org.workforcewatch.agency.AgencyRegister.Check;
import org.workforcewatch.agency.AgencyRegister.Rule;
import org.workforcewatch.csv.Csv;

/**
 * The Department's quarterly agency return of one quarter: one row per assignment of the register active in it
 * (judged on its last day in the quarter, except the price cap: broken if the rate exceeded the cap on any of its days
 * in the quarter), the council's compliance with each rule, the approvals of cap breaches, and what we cannot give
 * (monthly spend: hours are not held). Every row names its register row by key.
 */
record AgencyReturn(Quarter quarter, String region, boolean capsConfigured, List<Assignment> rows) {

    /** Why the monthly spend is not in the return: said, never invented. */
    static final String SPEND_GAP = "Monthly agency spend is not given: Workforce Watch holds hourly rates but not the hours"
            + " worked (or invoiced), so spend cannot be derived. Take it from the council's finance system.";

    /** The CSV's columns of an assignment row, in order. */
    static final List<String> ROW_COLUMNS = List.of("register_key", "staff_id", "role_category", "agency_name", "hourly_rate",
            "price_cap", "start_date", "end_date", "planned_end_date", "swe_number", "project_team", "project_team_name",
            "judged_on", "experience", "price_cap_check", "reengagement", "notice", "breach_approved", "noncompliant");

    /** A calendar quarter, as {@code 2025-Q1} (January to March 2025). */
    record Quarter(int year, int number) {

        private static final Pattern FORM = Pattern.compile("(\\d{4})-Q([1-4])");

        /** The quarter written, or an IllegalArgumentException saying what is expected. */
        static Quarter parse(String raw) {
            Matcher m = raw == null ? null : FORM.matcher(raw.strip().toUpperCase(java.util.Locale.ROOT));
            if (m == null || !m.matches()) {
                throw new IllegalArgumentException("quarter must be a year and quarter as 2025-Q1 (Q1 January to March,"
                        + " Q4 October to December); got '" + raw + "'");
            }
            int year = Integer.parseInt(m.group(1));
            if (year < 2000 || year > 2199) {
                throw new IllegalArgumentException("quarter's year must be 2000 to 2199; got " + year);
            }
            return new Quarter(year, Integer.parseInt(m.group(2)));
        }

        LocalDate first() {
            return LocalDate.of(year, (number - 1) * 3 + 1, 1);
        }

        LocalDate last() {
            return first().plusMonths(3).minusDays(1);
        }

        @Override
        public String toString() {
            return year + "-Q" + number;
        }
    }

    /** For one rule, how many assignments comply, do not, cannot be judged, or are not concerned. */
    record Compliance(Rule rule, long compliant, long notCompliant, long notKnown, long notApplicable) {
    }

    List<Compliance> compliance() {
        List<Compliance> all = new ArrayList<>();
        for (Rule rule : Rule.values()) {
            Map<Check, Long> n = new EnumMap<>(Check.class);
            for (Check c : Check.values()) {
                n.put(c, 0L);
            }
            rows.forEach(a -> n.merge(a.checks().of(rule), 1L, Long::sum));
            all.add(new Compliance(rule, n.get(Check.PASS), n.get(Check.FAIL), n.get(Check.NOT_KNOWN), n.get(Check.NOT_APPLICABLE)));
        }
        return all;
    }

    /** The assignments whose rate was above the cap in force, with their approval if any. */
    List<Assignment> breaches() {
        return rows.stream().filter(a -> a.checks().priceCap() == Check.FAIL).toList();
    }

    Map<String, Object> json() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("quarter", quarter.toString());
        body.put("from", quarter.first());
        body.put("to", quarter.last());
        body.put("region", region);
        body.put("caps_configured", capsConfigured);
        body.put("assignments", rows.stream().map(AgencyReturn::rowJson).toList());
        body.put("compliance", compliance().stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rule", c.rule().id());
            m.put("description", c.rule().description());
            m.put("compliant", c.compliant());
            m.put("not_compliant", c.notCompliant());
            m.put("not_known", c.notKnown());
            m.put("not_applicable", c.notApplicable());
            return m;
        }).toList());
        body.put("breaches", breaches().stream().map(a -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("register_key", a.key());
            m.put("hourly_rate", a.hourlyRate());
            m.put("price_cap", a.cap());
            m.put("approved_by", a.approval() == null ? null : a.approval().by());
            m.put("approved_at", a.approval() == null ? null : a.approval().at().toString());
            m.put("reason", a.approval() == null ? null : a.approval().reason());
            m.put("approved_rate", a.approval() == null ? null : a.approval().rate());
            m.put("approval_outlived", a.approvalOutlived());
            return m;
        }).toList());
        body.put("monthly_spend", Map.of("available", false, "gap", SPEND_GAP));
        return body;
    }

    private static Map<String, Object> rowJson(Assignment a) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> cells = rowCells(a);
        for (int i = 0; i < ROW_COLUMNS.size(); i++) {
            m.put(ROW_COLUMNS.get(i), cells.get(i));
        }
        return m;
    }

    private static List<Object> rowCells(Assignment a) {
        List<Object> cells = new ArrayList<>(List.of());
        cells.add(a.key());
        cells.add(a.staffId());
        cells.add(a.roleCategory());
        cells.add(a.agencyName());
        cells.add(a.hourlyRate());
        cells.add(a.cap());
        cells.add(a.startDate());
        cells.add(a.endDate());
        cells.add(a.plannedEndDate());
        cells.add(a.sweNumber());
        cells.add(a.projectTeam());
        cells.add(a.projectTeamName());
        cells.add(a.judgedOn());
        for (Rule rule : Rule.values()) {
            cells.add(a.checks().of(rule).id());
        }
        cells.add(a.noncompliant());
        return cells;
    }

    /** Sections separated by an empty line, each with its own header: the assignments, compliance, breaches, spend. */
    String csv() {
        Csv csv = new Csv(ROW_COLUMNS.toArray(String[]::new));
        for (Assignment a : rows) {
            csv.row(rowCells(a).stream().map(c -> c == null ? null : c instanceof Number || c instanceof Boolean ? c : c.toString())
                    .toArray());
        }
        csv.row();
        csv.row("rule", "compliant", "not_compliant", "not_known", "not_applicable");
        for (Compliance c : compliance()) {
            csv.row(c.rule().id(), c.compliant(), c.notCompliant(), c.notKnown(), c.notApplicable());
        }
        csv.row();
        csv.row("breach_register_key", "hourly_rate", "price_cap", "approved_by", "approved_at", "reason", "approved_rate",
                "approval_outlived");
        for (Assignment a : breaches()) {
            csv.row(a.key(), a.hourlyRate(), a.cap(), a.approval() == null ? null : a.approval().by(),
                    a.approval() == null ? null : a.approval().at().toString(), a.approval() == null ? null : a.approval().reason(),
                    a.approval() == null ? null : a.approval().rate(), a.approvalOutlived());
        }
        csv.row();
        csv.row("monthly_spend");
        csv.row(SPEND_GAP);
        return csv.toString();
    }
}
