package org.workforcewatch.indicators;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The reference files read independently of the service, so tests compare the API's answer with figures
 * worked out from the files themselves: the Department's published file and the neighbours list.
 */
final class BenchmarkFigures {

    static final String PUBLISHED = "reference/dfe-csww/csww_indicators_2017_to_2025.csv";
    static final String TIDY = "reference/dfe-csww/benchmarks.csv";
    static final String ENGLAND = "E92000001";
    static final String EAST_OF_ENGLAND = "E12000006";
    static final String CAMBRIDGESHIRE = "E10000003";

    /** Published column → benchmark measure, as the Department names them. */
    private static final Map<String, String> COLUMNS = Map.of("inpost_fte", "fte", "turnover_rate_fte", "turnover_rate",
            "agency_rate_fte", "agency_rate", "vacancy_rate_fte", "vacancy_rate", "caseload_fte", "caseload_per_fte",
            "absence_rate_fte", "absence_rate");

    record Figure(int year, String areaCode, String level, String measure, BigDecimal value) {
    }

    private final List<Figure> figures;

    private BenchmarkFigures(List<Figure> figures) {
        this.figures = figures;
    }

    /** The published file: an area's code is its level's code column (an authority's new code, else its old). */
    static BenchmarkFigures published() {
        List<Figure> out = new ArrayList<>();
        List<String[]> rows = rows(PUBLISHED);
        List<String> header = List.of(rows.get(0));
        for (String[] r : rows.subList(1, rows.size())) {
            String level = r[header.indexOf("geographic_level")];
            String code;
            String ourLevel;
            switch (level) {
                case "National" -> {
                    code = r[header.indexOf("country_code")];
                    ourLevel = "national";
                }
                case "Regional" -> {
                    code = r[header.indexOf("region_code")];
                    ourLevel = "regional";
                }
                default -> {
                    String newCode = r[header.indexOf("new_la_code")];
                    code = newCode.isEmpty() ? r[header.indexOf("old_la_code")] : newCode;
                    ourLevel = "local_authority";
                }
            }
            for (Map.Entry<String, String> c : COLUMNS.entrySet()) {
                BigDecimal v = number(r[header.indexOf(c.getKey())]);
                if (v != null) {
                    out.add(new Figure(Integer.parseInt(r[header.indexOf("time_period")]), code, ourLevel, c.getValue(), v));
                }
            }
        }
        return new BenchmarkFigures(out);
    }

    /** Our tidy file. */
    static BenchmarkFigures tidy() {
        List<Figure> out = new ArrayList<>();
        List<String[]> rows = rows(TIDY);
        List<String> h = List.of(rows.get(0));
        for (String[] r : rows.subList(1, rows.size())) {
            out.add(new Figure(Integer.parseInt(r[h.indexOf("year")]), r[h.indexOf("area_code")], r[h.indexOf("geographic_level")],
                    r[h.indexOf("measure")], new BigDecimal(r[h.indexOf("value")])));
        }
        return new BenchmarkFigures(out);
    }

    /** The Department's current (2025 model) neighbours of the reference authority, from the test reference copy. */
    static List<String> neighbours() {
        List<String[]> rows = rows("reference/dfe-csww/cambridgeshire_statistical_neighbours.csv");
        List<String> h = List.of(rows.get(0));
        return rows.subList(1, rows.size()).stream().filter(r -> r[h.indexOf("model")].equals("dfe_sn_model_2025"))
                .map(r -> r[h.indexOf("area_code")]).toList();
    }

    int latestYear(String measure) {
        return figures.stream().filter(f -> f.measure().equals(measure)).mapToInt(Figure::year).max().orElseThrow();
    }

    BigDecimal value(String measure, String area) {
        return value(measure, area, latestYear(measure));
    }

    BigDecimal value(String measure, String area, int year) {
        return figures.stream().filter(f -> f.year() == year && f.measure().equals(measure) && f.areaCode().equals(area))
                .map(Figure::value).findFirst().orElse(null);
    }

    /** Values of these areas in the latest year, those that have one. */
    List<BigDecimal> values(String measure, List<String> areas) {
        return values(measure, areas, latestYear(measure));
    }

    /** Values of these areas in one year, those that have one. */
    List<BigDecimal> values(String measure, List<String> areas, int year) {
        return areas.stream().map(a -> value(measure, a, year)).filter(Objects::nonNull).toList();
    }

    /** Every local authority's value in the latest year except the authority's own. */
    List<BigDecimal> otherAuthorities(String measure, String own) {
        int year = latestYear(measure);
        return figures.stream().filter(f -> f.year() == year && f.measure().equals(measure) && f.level().equals("local_authority")
                && !f.areaCode().equals(own)).map(Figure::value).toList();
    }

    static BigDecimal median(List<BigDecimal> values) {
        List<BigDecimal> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2)
                : sorted.get(n / 2 - 1).add(sorted.get(n / 2)).divide(BigDecimal.valueOf(2), 10, RoundingMode.HALF_UP);
    }

    private static BigDecimal number(String v) {
        try {
            return v.isEmpty() ? null : new BigDecimal(v);
        } catch (NumberFormatException symbol) {
            return null; // u, x, c, z, low: no value
        }
    }

    /** CSV rows, with quoted fields ("Bristol, City of") kept whole. */
    private static List<String[]> rows(String resource) {
        try (InputStream in = Objects.requireNonNull(BenchmarkFigures.class.getClassLoader().getResourceAsStream(resource), resource);
             BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<String[]> out = new ArrayList<>();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                List<String> fields = new ArrayList<>();
                StringBuilder field = new StringBuilder();
                boolean quoted = false;
                for (char c : line.toCharArray()) {
                    if (c == '"') {
                        quoted = !quoted;
                    } else if (c == ',' && !quoted) {
                        fields.add(field.toString());
                        field.setLength(0);
                    } else {
                        field.append(c);
                    }
                }
                fields.add(field.toString());
                out.add(fields.toArray(String[]::new));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(String resource) {
        try (InputStream in = Objects.requireNonNull(BenchmarkFigures.class.getClassLoader().getResourceAsStream(resource), resource)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
