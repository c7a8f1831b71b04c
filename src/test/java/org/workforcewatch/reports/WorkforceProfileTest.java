package org.workforcewatch.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.workforcewatch.ApiTest;
import org.workforcewatch.demo.DemoData;
import org.workforcewatch.indicators.Indicator;

/**
 * The monthly workforce profile over the demo authority: the PDF's text carries the month's figures as
 * /api/indicators gives them, it renders page by page with pdftoppm, and the CSV tables hold the API's
 * values with spreadsheet formulas neutralised.
 */
// The fixture's history is complete from January 2024, its first allocation: the council vouches for it
// (workforce.history.from), so the monthly history starts there whatever the staff file's first leaver.
@org.springframework.test.context.TestPropertySource(properties = "workforce.history.from.all=2024-01-01")
class WorkforceProfileTest extends ApiTest {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.UK);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.UK);

    @Autowired
    private ApplicationContext context;

    private final YearMonth lastComplete = YearMonth.now(ZoneId.of("Europe/London")).minusMonths(1);

    @Test
    void thePdfHasTheMonthsFiguresBesideLastMonthAYearAgoTargetsBenchmarksLeadOfficersAndRisks() throws Exception {
        DemoData.load(context);
        // A past month: its figures differ from today's, so the pack must read them as at that month's end.
        YearMonth month = lastComplete.minusMonths(2);
        LocalDate asOf = month.atEndOfMonth();

        byte[] pdf = web.get().uri("/api/reports/workforce-profile?month=" + month).exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_PDF)
                .expectHeader().value(HttpHeaders.CONTENT_DISPOSITION,
                        v -> assertThat(v).startsWith("attachment").contains("filename=\"workforce-profile-" + month + ".pdf\""))
                .expectBody(byte[].class).returnResult().getResponseBody();

        Path file = Path.of("target", "reports", "workforce-profile-" + month + ".pdf");
        Files.createDirectories(file.getParent());
        Files.write(file, pdf);
        String text;
        int pages;
        try (PDDocument document = Loader.loadPDF(pdf)) {
            text = new PDFTextStripper().getText(document);
            pages = document.getNumberOfPages();
        }
        List<String> lines = text.lines().map(String::strip).toList();
        String flat = String.join(" ", lines).replaceAll("\\s+", " ");

        assertThat(flat).contains(MONTH.format(month)).contains(DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.UK).format(asOf));
        assertThat(flat).contains("Page 1 of " + pages).contains("Page " + pages + " of " + pages);

        // Summary: each indicator's row holds its value and RAG on the day, last month's and a year ago's values,
        // its target and the published England and region figures, formatted as the pack formats them.
        Map<String, Map<String, Object>> now = byIndicator(indicators(asOf, "authority"));
        Map<String, Map<String, Object>> previous = byIndicator(indicators(month.minusMonths(1).atEndOfMonth(), "authority"));
        Map<String, Map<String, Object>> yearAgo = byIndicator(indicators(month.minusMonths(12).atEndOfMonth(), "authority"));
        for (Indicator indicator : Indicator.values()) {
            Map<String, Object> v = now.get(indicator.id());
            String row = lines.stream().filter(l -> l.startsWith(Names.indicator(indicator) + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no summary row for " + indicator.id() + " in\n" + text));
            List<String> expected = new ArrayList<>(List.of(format(indicator, v.get("value")), rag(v.get("severity")),
                    format(indicator, previous.get(indicator.id()).get("value")),
                    format(indicator, yearAgo.get(indicator.id()).get("value")), format(indicator, v.get("target"))));
            if (v.get("benchmark") instanceof Map<?, ?> b) {
                expected.add(format(indicator, b.get("england")));
                expected.add(format(indicator, b.get("region")));
                expected.add(format(indicator, b.get("statistical_neighbours_median")));
            }
            assertThat(tokens(row)).as(row).containsSubsequence(expected);
            assertThat(flat).contains((String) v.get("lead_officer"));
        }

        // Risks: every indicator at amber or red anywhere on the day, with its value and lead officer.
        List<Map<String, Object>> risks = new ArrayList<>();
        for (String level : List.of("authority", "service", "team")) {
            indicators(asOf, level).stream().filter(v -> v.get("value") != null
                    && ("amber".equals(v.get("severity")) || "red".equals(v.get("severity")))).forEach(risks::add);
        }
        assertThat(risks).as("the demo has risks to report").isNotEmpty();
        long red = risks.stream().filter(r -> r.get("severity").equals("red")).count();
        assertThat(flat).contains(risks.size() + " risks: " + red + " red, " + (risks.size() - red) + " amber");
        for (Map<String, Object> r : risks) {
            Indicator indicator = Indicator.byId((String) r.get("indicator")).orElseThrow();
            String where = r.get("level").equals("authority") ? "Authority" : (String) r.get("scope");
            assertThat(lines).as("risk row for %s at %s", indicator.id(), where).anyMatch(l -> l.startsWith(rag(r.get("severity")) + " "
                    + Names.indicator(indicator) + " " + where) && tokens(l).contains(format(indicator, r.get("value"))));
            assertThat(flat).contains((String) r.get("lead_officer")).contains(indicator.finding().substring(0, 20));
        }

        // Team tables name every team; charts are there with their captions.
        for (Map<String, Object> team : indicators(asOf, "team")) {
            assertThat(flat).contains((String) team.get("scope"));
        }
        assertThat(flat).contains("Key charts").contains("Starters and leavers per month");

        // pdftoppm renders one image per page.
        Path images = Files.createDirectories(Path.of("target", "reports", "pages-" + month));
        try (Stream<Path> old = Files.list(images)) {
            old.forEach(p -> p.toFile().delete());
        }
        Process pdftoppm;
        try {
            pdftoppm = new ProcessBuilder("pdftoppm", "-png", "-r", "50", file.toString(), images.resolve("page").toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("pdftoppm is not installed: install the Debian package poppler-utils", e);
        }
        String output = new String(pdftoppm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(pdftoppm.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(pdftoppm.exitValue()).as(output).isZero();
        List<Path> pngs;
        try (Stream<Path> files = Files.list(images)) {
            pngs = files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
        assertThat(pngs).hasSize(pages);
        for (Path png : pngs) {
            // A4 landscape at 50 dpi: about 585 × 413 pixels.
            var image = ImageIO.read(png.toFile());
            assertThat(image.getWidth()).isBetween(580, 590);
            assertThat(image.getHeight()).isBetween(408, 418);
        }
    }

    @Test
    void theCsvTablesHoldTheApisValues() {
        DemoData.load(context);
        LocalDate asOf = lastComplete.atEndOfMonth();

        // No month: the last complete month.
        String summary = csv("/api/reports/workforce-profile.csv?table=summary", "workforce-profile-" + lastComplete + "-summary.csv");
        List<Map<String, String>> rows = parse(summary);
        assertThat(summary.substring(0, summary.indexOf("\r\n"))).isEqualTo("month,as_of,indicator,name,unit,value,severity,variation,"
                + "assurance,last_month,twelve_months_ago,target,amber,red,england,region,statistical_neighbours,benchmark_year,"
                + "lead_officer,finding");
        Map<String, Map<String, Object>> api = byIndicator(indicators(asOf, "authority"));
        Map<String, Map<String, Object>> previous = byIndicator(indicators(lastComplete.minusMonths(1).atEndOfMonth(), "authority"));
        Map<String, Map<String, Object>> spc = spcVerdicts();
        assertThat(rows).hasSize(Indicator.values().length);
        for (Map<String, String> row : rows) {
            Map<String, Object> v = api.get(row.get("indicator"));
            assertThat(row.get("month")).isEqualTo(lastComplete.toString());
            assertThat(row.get("as_of")).isEqualTo(asOf.toString());
            assertThat(number(row.get("value"))).isEqualTo(number(v.get("value")));
            // the PDF's words for severities (Green, Amber, Red), not the API's codes
            assertThat(row.get("severity")).isEqualTo(v.get("severity") == null ? "" : rag(v.get("severity")));
            assertThat(number(row.get("target"))).isEqualTo(number(v.get("target")));
            assertThat(number(row.get("last_month"))).isEqualTo(number(previous.get(row.get("indicator")).get("value")));
            assertThat(row.get("lead_officer")).isEqualTo(v.get("lead_officer"));
            if (v.get("benchmark") instanceof Map<?, ?> b) {
                assertThat(number(row.get("england"))).isEqualTo(number(b.get("england")));
                assertThat(number(row.get("region"))).isEqualTo(number(b.get("region")));
                assertThat(number(row.get("statistical_neighbours"))).isEqualTo(number(b.get("statistical_neighbours_median")));
            } else {
                assertThat(row.get("england")).isEmpty();
            }
            // The latest complete month is the last point of today's SPC charts.
            assertThat(row.get("variation")).isEqualTo(spc.get(row.get("indicator")).get("variation"));
            assertThat(row.get("assurance")).isEqualTo(spc.get(row.get("indicator")).get("assurance"));
        }

        List<Map<String, String>> teams = parse(csv("/api/reports/workforce-profile.csv?month=" + lastComplete + "&table=teams",
                "workforce-profile-" + lastComplete + "-teams.csv"));
        List<Map<String, Object>> teamApi = indicators(asOf, "team");
        assertThat(teams).hasSize(teamApi.size());
        Map<String, Object> teamValues = new HashMap<>();
        teamApi.forEach(v -> teamValues.put(v.get("scope") + "|" + v.get("indicator"), v.get("value")));
        for (Map<String, String> row : teams) {
            assertThat(number(row.get("value"))).as(row.toString()).isEqualTo(number(teamValues.get(row.get("team_id") + "|" + row.get("indicator"))));
        }

        List<Map<String, String>> risks = parse(csv("/api/reports/workforce-profile.csv?month=" + lastComplete + "&table=risks",
                "workforce-profile-" + lastComplete + "-risks.csv"));
        Set<String> expected = new HashSet<>();
        for (String level : List.of("authority", "service", "team")) {
            indicators(asOf, level).stream().filter(v -> v.get("value") != null
                            && ("amber".equals(v.get("severity")) || "red".equals(v.get("severity"))))
                    .forEach(v -> expected.add(v.get("indicator") + "|" + level + "|" + v.get("scope") + "|" + rag(v.get("severity"))));
        }
        assertThat(risks).extracting(r -> r.get("indicator") + "|" + r.get("level") + "|" + r.get("scope") + "|" + r.get("severity"))
                .containsExactlyInAnyOrderElementsOf(expected);
        // Risks still active today were raised on the day /api/risks gives. The background recompute of the history
        // moves a risk's "since" back to the start of its run, so both are read again until that has settled.
        org.awaitility.Awaitility.await("the risks' since dates settle").atMost(java.time.Duration.ofMinutes(2))
                .pollInterval(java.time.Duration.ofSeconds(1)).untilAsserted(() -> {
                    List<Map<String, String>> pack = parse(csv("/api/reports/workforce-profile.csv?month=" + lastComplete
                            + "&table=risks", "workforce-profile-" + lastComplete + "-risks.csv"));
                    Map<String, Object> live = web.get().uri("/api/risks").exchange().expectStatus().isOk().expectBody(JSON)
                            .returnResult().getResponseBody();
                    for (Map<String, Object> r : list(live.get("risks"))) {
                        pack.stream().filter(row -> row.get("indicator").equals(r.get("indicator"))
                                        && row.get("level").equals(r.get("level")) && row.get("scope").equals(r.get("scope"))).findFirst()
                                .filter(row -> !LocalDate.parse((String) r.get("since")).isAfter(asOf))
                                .ifPresent(row -> assertThat(row.get("since")).isEqualTo(r.get("since")));
                    }
                });
    }

    @Test
    void spreadsheetFormulasInNamesAreNeutralisedAndQuoted() throws Exception {
        String hostile = "=HYPERLINK(\"http://example.org/x\",\"Click\")";
        upload("teams", "team_id,team_name,service,team_type,parent_team_id\n"
                + "T1,\"" + hostile.replace("\"", "\"\"") + "\",@Front Door,assessment,\n"
                + "T2,+cmd,-Safeguarding,safeguarding,\n").expectStatus().is2xxSuccessful();
        upload("staff", """
                staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding,qualified_date,agency_name,agency_hourly_rate
                S1,T1,social_worker,permanent,1,2022-01-10,,,Y,2015-07-01,,
                S2,T1,social_worker,agency,1,2023-03-01,,,Y,2022-07-01,Hays,48.50
                S3,T2,social_worker,permanent,1,2020-05-01,,,Y,2010-07-01,,
                """).expectStatus().is2xxSuccessful();
        upload("establishment", """
                team_id,role,funded_fte,effective_from
                T1,social_worker,3,2022-01-01
                T2,social_worker,1,2022-01-01
                """).expectStatus().is2xxSuccessful();
        upload("allocations", """
                allocation_id,child_id,staff_id,case_type,start_date,end_date,change_reason
                A1,C1,S1,cin,2024-01-05,,
                A2,C2,S2,cp,2024-02-05,,
                A3,C3,S3,cp,2024-02-05,,
                """).expectStatus().is2xxSuccessful();
        YearMonth month = YearMonth.of(2024, 6);

        String teams = csv("/api/reports/workforce-profile.csv?month=" + month + "&table=teams", "workforce-profile-2024-06-teams.csv");
        // The raw text: apostrophe first, then RFC 4180 quoting of the quotes and commas.
        assertThat(teams).contains(",\"'=HYPERLINK(\"\"http://example.org/x\"\",\"\"Click\"\")\",")
                .contains(",'+cmd,").contains(",'@Front Door,").contains(",'-Safeguarding,");
        List<Map<String, String>> rows = parse(teams);
        assertThat(rows).isNotEmpty();
        assertThat(rows).filteredOn(r -> r.get("team_id").equals("T1"))
                .allSatisfy(r -> {
                    assertThat(r.get("team_name")).isEqualTo("'" + hostile);
                    assertThat(r.get("service")).isEqualTo("'@Front Door");
                });
        assertThat(rows).filteredOn(r -> r.get("team_id").equals("T2")).allSatisfy(r -> assertThat(r.get("team_name")).isEqualTo("'+cmd"));
        // Every cell of every table: none starts with a formula character.
        for (String table : List.of("summary", "teams", "risks")) {
            String body = csv("/api/reports/workforce-profile.csv?month=" + month + "&table=" + table,
                    "workforce-profile-2024-06-" + table + ".csv");
            for (Map<String, String> row : parse(body)) {
                assertThat(row.values()).noneMatch(cell -> !cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0);
            }
        }
        // The PDF prints the names as they are (a PDF runs no formulas).
        byte[] pdf = web.get().uri("/api/reports/workforce-profile?month=" + month).exchange().expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody();
        try (PDDocument document = Loader.loadPDF(pdf)) {
            assertThat(new PDFTextStripper().getText(document)).contains("+cmd").contains("@Front Door");
        }
    }

    @Test
    void badMonthsAndTablesAreClearProblems() {
        problem("/api/reports/workforce-profile", 404, "no data has been loaded yet");
        problem("/api/reports/workforce-profile?month=2024-13", 400, "no month 2024-13");
        problem("/api/reports/workforce-profile?month=June", 400, "month must be YYYY-MM");
        problem("/api/reports/workforce-profile.csv?month=2024-6", 400, "month must be YYYY-MM");
        problem("/api/reports/workforce-profile?month=" + lastComplete.plusMonths(1), 400, "has not ended yet");
        problem("/api/reports/workforce-profile.csv?table=people", 400, "table must be one of summary, teams, risks");
        upload("teams", "team_id,team_name,service,team_type,parent_team_id\nT1,North,Front Door,assessment,\n").expectStatus().is2xxSuccessful();
        upload("staff", """
                staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding,qualified_date,agency_name,agency_hourly_rate
                S1,T1,social_worker,permanent,1,2022-01-10,,,Y,2015-07-01,,
                """).expectStatus().is2xxSuccessful();
        upload("allocations", """
                allocation_id,child_id,staff_id,case_type,start_date,end_date,change_reason
                A1,C1,S1,cin,2024-01-05,,
                """).expectStatus().is2xxSuccessful();
        problem("/api/reports/workforce-profile?month=2023-12", 404, "no data for 2023-12: the history runs from 2024-01");
    }

    // ------------------------------------------------------------------ helpers

    private void problem(String uri, int status, String detail) {
        Map<String, Object> body = web.get().uri(uri).exchange().expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(JSON).returnResult().getResponseBody();
        assertThat((String) body.get("detail")).contains(detail);
    }

    private String csv(String uri, String filename) {
        byte[] body = web.get().uri(uri).exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.parseMediaType("text/csv"))
                .expectHeader().value(HttpHeaders.CONTENT_TYPE, v -> assertThat(v.toLowerCase(Locale.ROOT)).contains("charset=utf-8"))
                .expectHeader().value(HttpHeaders.CONTENT_DISPOSITION, v -> assertThat(v).contains("filename=\"" + filename + "\""))
                .expectBody(byte[].class).returnResult().getResponseBody();
        return new String(body, StandardCharsets.UTF_8);
    }

    private List<Map<String, Object>> indicators(LocalDate asOf, String level) {
        Map<String, Object> body = web.get().uri("/api/indicators?as_of=" + asOf + "&level=" + level).exchange()
                .expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
        return list(body.get("indicators"));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> spcVerdicts() {
        Map<String, Object> body = web.get().uri("/api/spc").exchange().expectStatus().isOk().expectBody(JSON).returnResult()
                .getResponseBody();
        return (Map<String, Map<String, Object>>) body.get("indicators");
    }

    private static Map<String, Map<String, Object>> byIndicator(List<Map<String, Object>> values) {
        Map<String, Map<String, Object>> map = new HashMap<>();
        values.forEach(v -> map.put((String) v.get("indicator"), v));
        return map;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    /** A number as the API or a CSV cell gives it; null for no value. */
    private static Double number(Object o) {
        if (o == null || (o instanceof String s && s.isEmpty())) {
            return null;
        }
        return o instanceof Number n ? n.doubleValue() : Double.valueOf((String) o);
    }

    /** Formatted independently of the pack: rates 1 dp with %, caseloads 1 dp, counts whole. */
    private static String format(Indicator indicator, Object value) {
        Double v = number(value);
        if (v == null) {
            return "–";
        }
        return switch (indicator.unit()) {
            case PERCENT -> String.format(Locale.UK, "%.1f%%", v);
            case PER_FTE -> String.format(Locale.UK, "%.1f", v);
            case COUNT -> v == Math.floor(v) ? Long.toString(v.longValue()) : String.format(Locale.UK, "%.1f", v);
        };
    }

    private static String rag(Object severity) {
        return switch (String.valueOf(severity)) {
            case "ok" -> "Green";
            case "amber" -> "Amber";
            case "red" -> "Red";
            default -> "–";
        };
    }

    private static List<String> tokens(String line) {
        return List.of(line.split("\\s+"));
    }

    /** RFC 4180 with a header row: quoted fields may hold commas, doubled quotes and line breaks. */
    static List<Map<String, String>> parse(String csv) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
                record.add(field.toString());
                field.setLength(0);
                records.add(record);
                record = new ArrayList<>();
                i++;
            } else {
                field.append(c);
            }
        }
        if (!record.isEmpty() || field.length() > 0) {
            fail("the CSV does not end with CRLF");
        }
        List<String> header = records.get(0);
        List<Map<String, String>> rows = new ArrayList<>();
        for (List<String> r : records.subList(1, records.size())) {
            assertThat(r).hasSameSizeAs(header);
            Map<String, String> row = new java.util.LinkedHashMap<>();
            for (int k = 0; k < header.size(); k++) {
                row.put(header.get(k), r.get(k));
            }
            rows.add(row);
        }
        return rows;
    }
}
