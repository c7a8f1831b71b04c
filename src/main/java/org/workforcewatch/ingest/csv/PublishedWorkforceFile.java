package org.workforcewatch.ingest.csv;

import static org.workforcewatch.ingest.csv.Column.id;
import static org.workforcewatch.ingest.csv.Column.integer;
import static org.workforcewatch.ingest.csv.Column.oneOf;
import static org.workforcewatch.ingest.csv.Column.published;
import static org.workforcewatch.ingest.csv.Column.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Department for Education's children's social work workforce underlying data file, exactly as
 * downloaded ({@code time_period,time_identifier,geographic_level,...}): each line holds one area's year
 * and becomes one benchmarks row per headline measure that has a value.
 */
final class PublishedWorkforceFile implements Dataset.Layout {

    /** Published column → our benchmark measure. */
    private static final Map<String, String> MEASURES = Map.of(
            "inpost_fte", "fte",
            "turnover_rate_fte", "turnover_rate",
            "agency_rate_fte", "agency_rate",
            "vacancy_rate_fte", "vacancy_rate",
            "caseload_fte", "caseload_per_fte",
            "absence_rate_fte", "absence_rate");
    private static final List<String> MEASURE_COLUMNS = List.of("inpost_fte", "turnover_rate_fte", "agency_rate_fte",
            "vacancy_rate_fte", "caseload_fte", "absence_rate_fte");

    /** The file's other figures: known (so not "unknown columns"), read as text and not kept. */
    private static final List<String> NOT_KEPT = List.of("inpost_headcount", "starters_fte", "starters_headcount", "leavers_fte",
            "leavers_headcount", "turnover_rate_headcount", "agency_fte", "agency_headcount", "agency_rate_headcount",
            "agency_cover_fte", "agency_cover_rate_fte", "vacancy_fte", "vacancy_agency_cover_rate_fte", "case_holders_fte",
            "cases", "working_days_lost_fte");

    private final List<Column> columns;

    PublishedWorkforceFile() {
        List<Column> cols = new ArrayList<>(List.of(
                integer("time_period", true, "1990"), text("time_identifier", false),
                oneOf("geographic_level", true, "National", "Regional", "Local authority"),
                id("country_code", false), text("country_name", false), id("region_code", false),
                text("region_name", false), id("old_la_code", false), id("new_la_code", false), text("la_name", false)));
        for (String m : MEASURE_COLUMNS) {
            cols.add(published(m));
        }
        for (String other : NOT_KEPT) {
            cols.add(text(other, false));
        }
        this.columns = List.copyOf(cols);
    }

    @Override
    public boolean recognises(List<String> header) {
        return header.size() >= 3 && header.get(0).equals("time_period") && header.get(1).equals("time_identifier")
                && header.get(2).equals("geographic_level");
    }

    @Override
    public List<Column> columns() {
        return columns;
    }

    @Override
    public String description() {
        return "the Department for Education's published workforce indicators file";
    }

    @Override
    public void expand(String[] v, Consumer<String[]> out) {
        String level = v[2];
        String code;
        String name;
        String ourLevel;
        switch (level) {
            case "National" -> {
                code = v[3];
                name = v[4];
                ourLevel = "national";
            }
            case "Regional" -> {
                code = v[5];
                name = v[6];
                ourLevel = "regional";
            }
            default -> {
                code = v[8] != null ? v[8] : v[7];
                name = v[9];
                ourLevel = "local_authority";
            }
        }
        if (code == null) {
            return;
        }
        for (int i = 0; i < MEASURE_COLUMNS.size(); i++) {
            String value = v[10 + i];
            if (value != null) {
                out.accept(new String[] {v[0], code, name == null ? code : name, ourLevel,
                    MEASURES.get(MEASURE_COLUMNS.get(i)), value});
            }
        }
    }
}
