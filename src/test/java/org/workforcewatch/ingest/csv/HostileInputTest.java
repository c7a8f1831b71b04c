package org.workforcewatch.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.workforcewatch.WorkforceWatchApplication;
import org.workforcewatch.ingest.Fixtures;
import org.workforcewatch.ingest.RawHttp;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hostile input through the real endpoints, sent in pieces of random sizes: teams files with random
 * bytes, huge fields, stray quotes, formula cells, invalid UTF-8, byte-order marks, mixed line ends,
 * characters cut in half and very many columns; NDJSON events with lines of garbage, broken JSON,
 * invalid UTF-8 and lines over the length limit among good ones. Whatever arrives, the answer is never
 * a 5xx but a success or a well-formed problem; a refused upload changes nothing; an accepted file
 * stores exactly the rows the import contract gives its bytes ({@link TeamsFileModel}), and an accepted
 * batch exactly its good events.
 *
 * <p>jqwik runs properties outside Spring's test support, so the class starts the application itself,
 * once, on a random port over the test database.
 */
class HostileInputTest {

    private static final List<String> NASTY = List.of("=1+1", "+SUM(A1:A9)", "-2+3", "@cmd", "\tTabbed", "\rReturned",
            "=HYPERLINK(\"http://example.org\",\"open\")", "=cmd|' /C calc'!A0", "Zoë Café", "北京 team", "emoji 😀 team",
            "comma, inside", "quote \" inside", "line\nbreak", "crlf\r\nbreak", "back\\slash", "  padded  ", "", " ", "\u0000nul",
            "\u00a0non-breaking", "\uFEFFmark inside", "NULL", "\\N", "'; DROP TABLE teams;--", "x".repeat(1000), "y".repeat(1001));
    private static final List<String> IDS = List.of("H1", "H2", "H3", "H4", "H5", " H2 ", "h1", "H😀", "", "=H9", "+H8", "@H7",
            "-H6", "X".repeat(64), "X".repeat(65), "H\t1");
    private static final List<String> TYPES = List.of("assessment", "safeguarding", "children_in_care", "care_leavers",
            "out_of_hours", "other", "Assessment", " SAFEGUARDING ", "nonsense", "");
    private static final byte[][] NOT_UTF8 = {{(byte) 0xFF}, {(byte) 0xC3, 0x28}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0xE2, (byte) 0x82}, {(byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}};

    private static final AtomicInteger runs = new AtomicInteger();
    private static ConfigurableApplicationContext app;
    private static WebTestClient web;
    private static DatabaseClient db;
    private static JsonMapper json;

    @BeforeContainer
    static void start() {
        app = new SpringApplicationBuilder(WorkforceWatchApplication.class).run("--server.port=0");
        web = WebTestClient.bindToServer().baseUrl("http://localhost:" + app.getEnvironment().getProperty("local.server.port"))
                .defaultHeader(HttpHeaders.AUTHORIZATION, RawHttp.ADMIN).responseTimeout(Duration.ofSeconds(60)).build();
        db = app.getBean(DatabaseClient.class);
        json = app.getBean(JsonMapper.class);
        for (String dataset : List.of("teams", "staff")) {
            web.post().uri("/api/imports/" + dataset + "?extract=partial").contentType(MediaType.parseMediaType("text/csv"))
                    .bodyValue(Fixtures.VALID.get(dataset)).exchange().expectStatus().isCreated();
        }
    }

    @AfterContainer
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    // ---- CSV files -------------------------------------------------------------------------------

    /** A teams file as bytes, and what was done to it. */
    record HostileFile(byte[] bytes, long pieces, String made) {
        @Override
        public String toString() {
            return made + " (" + bytes.length + " bytes)";
        }
    }

    enum Damage { RANDOM_BYTES, NOT_UTF8, CUT, CUT_CHARACTER, STRAY_QUOTE, HUGE_FIELD, MANY_FIELDS, DELETE, BOM, LINE_END, NUL }

    record Mutation(Damage damage, double at, long seed) {
        byte[] apply(byte[] file) {
            int pos = (int) (at * file.length);
            Random r = new Random(seed);
            return switch (damage) {
                case RANDOM_BYTES -> {
                    byte[] noise = new byte[1 + r.nextInt(16)];
                    r.nextBytes(noise);
                    yield insert(file, pos, noise);
                }
                case NOT_UTF8 -> insert(file, pos, NOT_UTF8[r.nextInt(NOT_UTF8.length)]);
                case CUT -> Arrays.copyOf(file, pos);
                case CUT_CHARACTER -> {
                    int lead = pos;
                    while (lead < file.length && (file[lead] & 0xC0) != 0xC0) {
                        lead++;
                    }
                    yield Arrays.copyOf(file, Math.min(file.length, lead + 1));
                }
                case STRAY_QUOTE -> insert(file, pos, new byte[] {'"'});
                case HUGE_FIELD -> insert(file, pos, "z".repeat(List.of(60_000, 65_400, 65_600, 70_000).get(r.nextInt(4)))
                        .getBytes(StandardCharsets.US_ASCII));
                case MANY_FIELDS -> insert(file, pos, ",".repeat(190 + r.nextInt(20)).getBytes(StandardCharsets.US_ASCII));
                case DELETE -> {
                    int end = Math.min(file.length, pos + 1 + r.nextInt(4));
                    byte[] out = new byte[file.length - (end - pos)];
                    System.arraycopy(file, 0, out, 0, pos);
                    System.arraycopy(file, end, out, pos, file.length - end);
                    yield out;
                }
                case BOM -> insert(file, pos, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
                case LINE_END -> insert(file, pos, List.of("\r", "\n", "\r\n").get(r.nextInt(3)).getBytes(StandardCharsets.US_ASCII));
                case NUL -> insert(file, pos, new byte[] {0});
            };
        }

        private static byte[] insert(byte[] file, int pos, byte[] what) {
            byte[] out = new byte[file.length + what.length];
            System.arraycopy(file, 0, out, 0, pos);
            System.arraycopy(what, 0, out, pos, what.length);
            System.arraycopy(file, pos, out, pos + what.length, file.length - pos);
            return out;
        }
    }

    @Provide
    Arbitrary<HostileFile> files() {
        Arbitrary<String> text = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.of(NASTY)),
                Tuple.of(3, Arbitraries.strings().alpha().numeric().withChars(" ,\"'\r\n\t=+-@é").ofMaxLength(12)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(8)));
        Arbitrary<List<String>> row = Combinators.combine(Arbitraries.of(IDS), text, text, Arbitraries.of(TYPES)).as(List::of);
        Arbitrary<Mutation> mutation = Combinators.combine(Arbitraries.of(Damage.class), Arbitraries.doubles().between(0, 1),
                Arbitraries.longs()).as(Mutation::new);
        return Combinators.combine(row.list().ofMaxSize(6),
                        Arbitraries.frequency(Tuple.of(8, 0), Tuple.of(2, 3), Tuple.of(1, 197), Tuple.of(1, 250)),
                        Arbitraries.of("\n", "\r\n", "\r", "mixed"),
                        Arbitraries.of(false, true), Arbitraries.of(false, true), Arbitraries.of(false, true),
                        Arbitraries.frequency(Tuple.of(2, 0), Tuple.of(3, 1), Tuple.of(2, 2), Tuple.of(1, 3))
                                .flatMap(n -> mutation.list().ofSize(n)),
                        Arbitraries.longs())
                .as(HostileInputTest::file);
    }

    private static HostileFile file(List<List<String>> rows, int extraColumns, String lineEnd, boolean bom, boolean quoteAll,
                                    boolean windows1252, List<Mutation> mutations, long pieces) {
        List<List<String>> lines = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("team_id", "team_name", "service", "team_type"));
        for (int i = 1; i <= extraColumns; i++) {
            header.add("extra" + i);
        }
        lines.add(header);
        for (List<String> row : rows) {
            List<String> line = new ArrayList<>(row);
            for (int i = 1; i <= extraColumns; i++) {
                line.add("v");
            }
            lines.add(line);
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            text.append(String.join(",", lines.get(i).stream().map(v -> field(v, quoteAll)).toList()));
            text.append(lineEnd.equals("mixed") ? List.of("\n", "\r\n", "\r").get(i % 3) : lineEnd);
        }
        boolean cp1252 = windows1252 && TextDecoder.WINDOWS_1252.newEncoder().canEncode(text);
        byte[] bytes = text.toString().getBytes(cp1252 ? TextDecoder.WINDOWS_1252 : StandardCharsets.UTF_8);
        if (bom && !cp1252) {
            bytes = Mutation.insert(bytes, 0, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        }
        for (Mutation m : mutations) {
            bytes = m.apply(bytes);
        }
        String made = rows.size() + " rows, " + extraColumns + " extra columns, line ends " + lineEnd.replace("\r", "CR")
                .replace("\n", "LF") + (bom ? ", BOM" : "") + (quoteAll ? ", all quoted" : "") + (cp1252 ? ", Windows-1252" : "")
                + ", damage " + mutations.stream().map(Mutation::damage).toList();
        return new HostileFile(bytes, pieces, made);
    }

    private static String field(String value, boolean quoteAll) {
        boolean quote = quoteAll || value.chars().anyMatch(c -> c == ',' || c == '"' || c == '\r' || c == '\n');
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }

    @Property(tries = 80)
    void aTeamsFileIsStoredExactlyAsTheContractReadsItOrRefusedWhole(@ForAll("files") HostileFile file) {
        List<List<String>> before = teams();
        EntityExchangeResult<byte[]> answer = web.post().uri("/api/imports/teams?extract=partial")
                .contentType(MediaType.parseMediaType("text/csv")).body(inPieces(file.bytes(), file.pieces()), DataBuffer.class)
                .exchange().expectBody().returnResult();
        int status = answer.getStatus().value();
        TeamsFileModel.Outcome expected = TeamsFileModel.expect(file.bytes());
        String body = text(answer);
        assertThat(status).as(body).isIn(201, 422);
        Statistics.label("teams file").collect(status == 201 ? "stored" : "refused");
        // an honest mix: the generator must give the success path, where rows are compared, a fair share
        Statistics.label("teams file").coverage(c -> {
            c.check("stored").percentage(p -> p >= 10);
            c.check("refused").percentage(p -> p >= 10);
        });
        if (status == 201) {
            assertThat(expected.valid() || expected.unknown()).as("accepted a file the contract refuses: " + body).isTrue();
            if (expected.valid()) {
                assertThat(teams()).isEqualTo(upserted(before, expected.rows()));
                assertThat(read(answer).get("rows").asLong()).isEqualTo(expected.rows().size());
            }
        } else {
            JsonNode problem = problem(answer, 422);
            assertThat(problem.get("errors").isEmpty()).isFalse();
            for (JsonNode error : problem.get("errors")) {
                assertThat(error.get("line").asLong()).as(body).isPositive();
                assertThat(error.get("reason").asString()).isNotBlank();
                if (!error.get("reason").asString().startsWith("the file is empty")) {
                    assertThat(error.get("column").isNull()).as("a problem without its column: " + error).isFalse();
                }
            }
            assertThat(teams()).as("a refused file changed nothing").isEqualTo(before);
            assertThat(expected.valid()).as("refused a file the contract accepts: " + body).isFalse();
        }
    }

    private static List<List<String>> teams() {
        return db.sql("SELECT team_id, team_name, service, team_type, parent_team_id FROM teams ORDER BY team_id COLLATE \"C\"")
                .map(r -> Arrays.asList(r.get(0, String.class), r.get(1, String.class), r.get(2, String.class),
                        r.get(3, String.class), r.get(4, String.class)))
                .all().collectList().block();
    }

    /** The table after an upsert of these rows (no parent column in the file: parents become empty). */
    private static List<List<String>> upserted(List<List<String>> before, List<List<String>> rows) {
        Map<String, List<String>> byId = new LinkedHashMap<>();
        before.forEach(t -> byId.put(t.get(0), t));
        rows.forEach(r -> byId.put(r.get(0), Arrays.asList(r.get(0), r.get(1), r.get(2), r.get(3), null)));
        return byId.values().stream().sorted((a, b) -> compareC(a.get(0), b.get(0))).toList();
    }

    /** PostgreSQL's "C" collation: byte order of the UTF-8 text. */
    private static int compareC(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    // ---- NDJSON events -------------------------------------------------------------------------

    enum Kind { GOOD, PADDED, FINE_NUMBER, GARBAGE, NOT_UTF8, CUT_SHORT, TOO_LONG, DEEP, FORMULA_STAFF, NO_TYPE, BAD_DATE,
        HUGE_NUMBER, TINY_NUMBER, NUMBER_AS_STAFF, NUL, BLANK }

    /** One line of a batch: what kind, and a seed for its noise. */
    record Line(Kind kind, long seed) {
        boolean good() {
            return kind == Kind.GOOD || kind == Kind.PADDED || kind == Kind.FINE_NUMBER;
        }

        /** The bytes of this line (without its line end); {@code id} and {@code date} are unique to the run. */
        byte[] render(String id, LocalDate date) {
            String event = "{\"event_id\": \"" + id + "\", \"type\": \"supervision_recorded\", \"occurred_at\": "
                    + "\"2026-11-23T10:15:00Z\", \"staff_id\": \"S1\", \"supervision_date\": \"" + date + "\"";
            Random r = new Random(seed);
            return switch (kind) {
                case GOOD -> (event + "}").getBytes(StandardCharsets.UTF_8);
                case PADDED -> (event + ", \"note\": \"" + "p".repeat(60_000) + "\"}").getBytes(StandardCharsets.UTF_8);
                case GARBAGE -> {
                    byte[] noise = new byte[1 + r.nextInt(64)];
                    r.nextBytes(noise);
                    for (int i = 0; i < noise.length; i++) {
                        noise[i] = noise[i] == '\n' ? (byte) 'n' : noise[i];
                    }
                    noise[0] = (byte) '#'; // never blank
                    yield noise;
                }
                case NOT_UTF8 -> Mutation.insert((event + "}").getBytes(StandardCharsets.UTF_8), event.indexOf("S1") + 1,
                        NOT_UTF8[r.nextInt(NOT_UTF8.length)]);
                case CUT_SHORT -> event.substring(0, 1 + r.nextInt(event.length() - 1)).getBytes(StandardCharsets.UTF_8);
                case TOO_LONG -> (event + ", \"note\": \"" + "q".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8);
                case DEEP -> ("[".repeat(3000) + "]".repeat(3000)).getBytes(StandardCharsets.US_ASCII);
                case FORMULA_STAFF -> (event.replace("\"S1\"", "\"=cmd|' /C calc'!A0\"") + "}").getBytes(StandardCharsets.UTF_8);
                case NO_TYPE -> (event.replace("\"type\": \"supervision_recorded\", ", "") + "}").getBytes(StandardCharsets.UTF_8);
                case BAD_DATE -> (event.replace(date.toString(), "2025-02-30") + "}").getBytes(StandardCharsets.UTF_8);
                case FINE_NUMBER -> (event + ", \"minutes\": 9.5e1}").getBytes(StandardCharsets.UTF_8);
                case HUGE_NUMBER -> (event + ", \"minutes\": 1e999999999}").getBytes(StandardCharsets.UTF_8);
                case TINY_NUMBER -> (event + ", \"minutes\": -1.5e-400}").getBytes(StandardCharsets.UTF_8);
                case NUMBER_AS_STAFF -> (event.replace("\"S1\"", "1e99999") + "}").getBytes(StandardCharsets.UTF_8);
                case NUL -> (event.replace("\"S1\"", "\"S1\\u0000\"") + "}").getBytes(StandardCharsets.UTF_8);
                case BLANK -> List.of("", " ", "\t", " \t ").get(r.nextInt(4)).getBytes(StandardCharsets.US_ASCII);
            };
        }
    }

    record Batch(List<Line> lines, boolean crlf, boolean bom, long pieces) {
    }

    @Provide
    Arbitrary<Batch> batches() {
        Arbitrary<Line> line = Combinators.combine(Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(Kind.GOOD)), Tuple.of(4, Arbitraries.of(Kind.class))), Arbitraries.longs()).as(Line::new);
        return Combinators.combine(line.list().ofMinSize(1).ofMaxSize(12), Arbitraries.of(false, true),
                Arbitraries.of(false, true), Arbitraries.longs()).as(Batch::new);
    }

    @Property(tries = 40)
    void anEventsBatchAppliesExactlyItsGoodLinesOrNothing(@ForAll("batches") Batch batch) {
        int run = runs.incrementAndGet();
        List<byte[]> rendered = new ArrayList<>();
        Map<Integer, String> goodIds = new HashMap<>();
        Set<String> goodDates = new HashSet<>();
        Set<Integer> counted = new HashSet<>();
        for (int i = 0; i < batch.lines().size(); i++) {
            Line line = batch.lines().get(i);
            LocalDate date = LocalDate.of(2000, 1, 1).plusDays(run * 12L + i);
            String id = "hostile-" + run + "-" + (i + 1);
            rendered.add(line.render(id, date));
            if (line.good()) {
                goodIds.put(i + 1, id);
                goodDates.add(date.toString());
            }
            if (line.kind() != Kind.BLANK) {
                counted.add(i + 1);
            }
        }
        byte[] body = join(rendered, batch.crlf() ? "\r\n" : "\n", batch.bom());
        long eventsBefore = count("events");
        long supervisionBefore = count("supervision");

        EntityExchangeResult<byte[]> answer = web.post().uri("/api/events").contentType(MediaType.APPLICATION_NDJSON)
                .body(inPieces(body, batch.pieces()), DataBuffer.class).exchange().expectBody().returnResult();
        int status = answer.getStatus().value();
        assertThat(status).as(text(answer)).isIn(200, 400, 422);
        Statistics.label("events batch").collect(status);
        Statistics.label("events batch").coverage(c -> c.check(200).percentage(p -> p >= 10));
        if (!goodIds.isEmpty()) {
            assertThat(status).as(text(answer)).isEqualTo(200);
            Map<Integer, String> outcome = new HashMap<>();
            read(answer).get("results").forEach(r -> outcome.put(r.get("line").asInt(), r.get("status").asString()));
            assertThat(outcome.keySet()).isEqualTo(counted);
            outcome.forEach((line, result) -> assertThat(result).as("line " + line + ": " + text(answer))
                    .isEqualTo(goodIds.containsKey(line) ? "applied" : "rejected"));
            assertThat(storedEventIds(run)).isEqualTo(new HashSet<>(goodIds.values()));
            assertThat(count("supervision")).isEqualTo(supervisionBefore + goodDates.size());
        } else {
            JsonNode problem = problem(answer, status);
            if (status == 422) {
                problem.get("errors").forEach(e -> assertThat(e.get("line").asInt()).isIn(counted));
            }
            assertThat(count("events")).isEqualTo(eventsBefore);
            assertThat(count("supervision")).isEqualTo(supervisionBefore);
        }
    }

    @Example
    void aJsonBodyWithAByteOrderMarkIsReadAndOneWithANumberTooLongToKeepIsRefused() {
        String event = "{\"event_id\": \"hostile-json-%s\", \"type\": \"supervision_recorded\", \"occurred_at\": "
                + "\"2026-11-23T10:15:00Z\", \"staff_id\": \"S1\", \"supervision_date\": \"1999-12-%s\"%s}";
        byte[] withBom = join(List.of(event.formatted("bom", "01", "").getBytes(StandardCharsets.UTF_8)), "", true);
        web.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue(withBom).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.accepted").isEqualTo(1);
        for (String number : List.of("1e999999999", "-2.5E-400", "1e41")) {
            String array = "[" + event.formatted("n1", "02", "") + ", " + event.formatted("n2", "03", ", \"minutes\": " + number) + "]";
            EntityExchangeResult<byte[]> answer = web.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(array).exchange().expectBody().returnResult();
            assertThat(problem(answer, 400).get("detail").asString())
                    .isEqualTo("in the body, the number " + number + " would be more than 40 digits written out: send numbers"
                            + " as ordinary decimals");
        }
        assertThat(storedEventIds("json")).containsExactly("hostile-json-bom");
        web.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("[" + event.formatted("n3", "04", ", \"minutes\": 1e39") + "]").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.accepted").isEqualTo(1);
    }

    private static byte[] join(List<byte[]> lines, String lineEnd, boolean bom) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        if (bom) {
            out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        }
        for (byte[] line : lines) {
            out.writeBytes(line);
            out.writeBytes(lineEnd.getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    private static Set<String> storedEventIds(Object run) {
        return new HashSet<>(db.sql("SELECT event_id FROM events WHERE event_id LIKE :prefix").bind("prefix", "hostile-" + run + "-%")
                .map(r -> r.get(0, String.class)).all().collectList().block());
    }

    private static long count(String table) {
        return db.sql("SELECT count(*) FROM " + table).map(r -> r.get(0, Long.class)).one().block();
    }

    // ---- both ----------------------------------------------------------------------------------

    /** The bytes as a body of pieces of random sizes (1 byte to 8 KiB), sent without a Content-Length. */
    private static Flux<DataBuffer> inPieces(byte[] bytes, long seed) {
        Random r = new Random(seed);
        List<DataBuffer> pieces = new ArrayList<>();
        for (int at = 0; at < bytes.length; ) {
            int size = 1 + r.nextInt(r.nextBoolean() ? 16 : 8192);
            pieces.add(DefaultDataBufferFactory.sharedInstance.wrap(Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + size))));
            at += size;
        }
        return Flux.fromIterable(pieces);
    }

    /** A well-formed problem of this status, with a detail. */
    private static JsonNode problem(EntityExchangeResult<byte[]> answer, int status) {
        assertThat(answer.getResponseHeaders().getContentType()).as(text(answer)).isNotNull()
                .matches(t -> t.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        JsonNode problem = read(answer);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asString()).isNotBlank();
        return problem;
    }

    private static JsonNode read(EntityExchangeResult<byte[]> answer) {
        return json.readTree(answer.getResponseBody());
    }

    private static String text(EntityExchangeResult<byte[]> answer) {
        byte[] body = answer.getResponseBody();
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        return text.length() > 2000 ? text.substring(0, 2000) + "..." : text;
    }
}
