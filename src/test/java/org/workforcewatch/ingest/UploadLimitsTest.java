package org.workforcewatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.BodyInserters;
import org.workforcewatch.ApiTest;
import org.workforcewatch.ingest.ssd.SsdFixtures;
import reactor.core.publisher.Flux;

/**
 * Uploads over the limits of {@code workforce.uploads}, set small here: a size over its limit is a 413
 * problem, refused from Content-Length before the body is read or cut off as it arrives; too many rows,
 * fields or characters on a line is a 422 problem naming the line and column. Nothing is ever applied.
 */
@TestPropertySource(properties = {"workforce.uploads.max-file-size=64KB", "workforce.uploads.max-rows=1000",
    "workforce.uploads.max-columns=20", "workforce.uploads.max-line-length=500", "workforce.uploads.max-census-size=32KB",
    "workforce.uploads.max-events=10", "workforce.uploads.max-events-size=8KB"})
class UploadLimitsTest extends ApiTest {

    /**
     * This test's own folder for what uploads keep on disk: the service's SSD uploads and, should anything still use
     * it, Spring's multipart reader (which kept every form part over its memory size there, and never removed it).
     */
    private static final Path KEPT = folder();

    private static Path folder() {
        try {
            return Files.createTempDirectory("upload-limits-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void keptInTheTestsFolder(DynamicPropertyRegistry properties) {
        properties.add("workforce.uploads.temp-dir", KEPT::toString);
        properties.add("spring.webflux.multipart.file-storage-directory", KEPT::toString);
        // and would keep on disk any file over 1 KiB
        properties.add("spring.webflux.multipart.max-in-memory-size", () -> "1KB");
    }

    @AfterAll
    static void removeTheFolder() throws IOException {
        Files.deleteIfExists(KEPT);
    }

    /** Bytes of every file in the folder, now. */
    private static long keptBytes() {
        try (Stream<Path> files = Files.walk(KEPT)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0; // a file removed while the folder was read
        }
    }

    private static void awaitNothingKept() {
        Awaitility.await("the upload's files are removed").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> {
                    try (Stream<Path> left = Files.list(KEPT)) {
                        assertThat(left.toList()).isEmpty();
                    }
                });
    }

    /** A multipart form of one zip file of {@code size} bytes, in pieces of 8 KiB (what the form holds is beside the point). */
    private static List<byte[]> zipForm(String boundary, int size) {
        List<byte[]> pieces = new ArrayList<>();
        pieces.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"extract.zip\"\r\n"
                + "Content-Type: application/zip\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        for (int sent = 0; sent < size; sent += 8192) {
            pieces.add(new byte[Math.min(8192, size - sent)]);
        }
        pieces.add(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return pieces;
    }

    @Test
    void anSsdFormStreamedFarPastTheSizeLimitIsCutOffAtTheLimitAndLeavesNoFileBehind() {
        long[] most = {0};
        // 4 MiB, 64 times the limit, sent without a Content-Length
        RawHttp.Answer answer = RawHttp.chunked(port, "/api/imports/ssd", "multipart/form-data; boundary=limit-test",
                zipForm("limit-test", 4 * 1024 * 1024), Integer.MAX_VALUE, () -> most[0] = Math.max(most[0], keptBytes()));
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.body()).contains("\"type\":\"https://workforcewatch.org/problems/too-large\"").contains("larger than 64 KiB");
        assertThat(most[0]).as("bytes kept on disk while the form streamed").isLessThanOrEqualTo(64 * 1024);
        awaitNothingKept();
        assertThat(count("imports")).isZero();
    }

    /** Broken off at each point from the first piece to the sixth, since the request may be at any step when it is. */
    @RepeatedTest(6)
    void anSsdFormBrokenOffByItsClientLeavesNoFileBehind(RepetitionInfo broken) {
        assertThat(RawHttp.chunked(port, "/api/imports/ssd", "multipart/form-data; boundary=broken-off",
                zipForm("broken-off", 48 * 1024), broken.getCurrentRepetition(), () -> { })).isNull();
        awaitNothingKept();
    }

    @Test
    void aSuccessfulSsdUploadLeavesNoFileBehindAsAFormOrAZip() {
        byte[] zip = SsdFixtures.zip(SsdFixtures.TABLES);
        MultipartBodyBuilder form = new MultipartBodyBuilder();
        form.part("file", new ByteArrayResource(zip) {
            @Override
            public String getFilename() {
                return "extract.zip";
            }
        }).contentType(MediaType.parseMediaType("application/zip"));
        web.post().uri("/api/imports/ssd").contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form.build())).exchange()
                .expectStatus().isCreated().expectBody().jsonPath("$.length()").isEqualTo(5);
        awaitNothingKept();
        web.post().uri("/api/imports/ssd").contentType(MediaType.parseMediaType("application/zip")).bodyValue(zip).exchange()
                .expectStatus().isCreated();
        awaitNothingKept();
        // one CSV file per table, in a form
        MultipartBodyBuilder files = new MultipartBodyBuilder();
        SsdFixtures.TABLES.forEach((table, csv) -> files.part(table, new ByteArrayResource(csv.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public String getFilename() {
                return table + ".csv";
            }
        }).contentType(MediaType.parseMediaType("text/csv")));
        web.post().uri("/api/imports/ssd").contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(files.build())).exchange()
                .expectStatus().isCreated().expectBody().jsonPath("$[*].inserted").value(v -> assertThat(v.toString()).isEqualTo("[0,0,0,0,0]"));
        awaitNothingKept();
    }

    private static final String TEAMS_HEADER = "team_id,team_name,service,team_type\n";
    private static final String SUPERVISION = """
            {"type": "supervision_recorded", "occurred_at": "2026-11-23T10:15:00Z", "staff_id": "S1", "supervision_date": "2026-11-%02d"}
            """;

    @LocalServerPort
    private int port;

    @Test
    void theDefaultsTakeNationalScaleFilesAndANonPositiveLimitFailsStartUp() {
        UploadLimits defaults = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("workforce.uploads", UploadLimits.class);
        assertThat(defaults).isEqualTo(new UploadLimits(DataSize.ofGigabytes(1), 20_000_000, 200, 65_536,
                DataSize.ofMegabytes(64), 50_000, DataSize.ofMegabytes(64), ""));
        assertThatThrownBy(() -> new Binder(new MapConfigurationPropertySource(Map.of("workforce.uploads.max-rows", "0")))
                .bind("workforce.uploads", UploadLimits.class))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessage("workforce.uploads.max-rows must be above 0, got 0");
    }

    @Test
    void aFileDeclaredOverTheSizeLimitIsRefusedBeforeItsBodyIsSent() {
        RawHttp.Answer answer = RawHttp.post(port, "/api/imports/teams", "text/csv", 64 * 1024 + 1, new byte[0]);
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.body()).contains("\"type\":\"https://workforcewatch.org/problems/too-large\"")
                .contains("larger than 64 KiB").contains("split it into smaller files");
        assertThat(count("imports")).as("no import was begun").isZero();
    }

    @Test
    void aFileStreamedPastTheSizeLimitIsCutOffAndItsImportRecordedAsFailed() {
        upload("teams", TEAMS_HEADER + "T0,Kept,Front Door,assessment\n").expectStatus().isCreated();
        tooLarge(web.post().uri("/api/imports/teams").contentType(MediaType.parseMediaType("text/csv"))
                .body(chunked(teams(300, 200)), DataBuffer.class).exchange(), "64 KiB");
        assertThat(one("SELECT string_agg(team_id, ',') FROM teams")).isEqualTo("T0");
        assertThat(one("SELECT status FROM imports ORDER BY id DESC LIMIT 1")).isEqualTo("failed");
    }

    @Test
    void aFormFileOverTheSizeLimitIsCutOffToo() {
        MultipartBodyBuilder form = new MultipartBodyBuilder();
        form.part("file", new ByteArrayResource(teams(300, 200).getBytes(StandardCharsets.UTF_8)) {
            @Override
            public String getFilename() {
                return "teams.csv";
            }
        }).contentType(MediaType.parseMediaType("text/csv"));
        tooLarge(web.post().uri("/api/imports/teams").contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form.build())).exchange(), "64 KiB");
        assertThat(count("teams")).isZero();
        assertThat(one("SELECT status FROM imports")).isEqualTo("failed");
    }

    @Test
    void aSmallZipWhoseTableExpandsPastTheSizeLimitIsRefused() {
        StringBuilder department = new StringBuilder("dept_team_id,dept_team_name,dept_team_parent_id,dept_team_parent_name\n");
        for (int i = 0; i < 3000; i++) {
            department.append("D").append(i).append(",Assessment team number ").append(i).append(",,\n");
        }
        byte[] zip = zip("ssd_department.csv", department.toString());
        assertThat(zip.length).as("the zip itself is within the limit").isLessThan(64 * 1024);
        assertThat(department.length()).isGreaterThan(64 * 1024);
        tooLarge(web.post().uri("/api/imports/ssd").contentType(MediaType.parseMediaType("application/zip"))
                .bodyValue(zip).exchange(), "64 KiB");
        assertThat(count("teams")).isZero();
        assertThat(one("SELECT status FROM imports")).isEqualTo("failed");
    }

    @Test
    void aFileOfMoreRowsThanTheLimitIsA422NamingTheFirstLineOverAndNothingIsApplied() {
        upload("teams", teams(1001, 10)).expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://workforcewatch.org/problems/invalid-file")
                .jsonPath("$.error_count").isEqualTo(1)
                .jsonPath("$.errors[0].line").isEqualTo(1002)
                .jsonPath("$.errors[0].reason").value(r -> assertThat((String) r)
                        .startsWith("the file has more than 1000 rows").contains("extract=partial"));
        assertThat(count("teams")).isZero();
        upload("teams", teams(1000, 10)).expectStatus().isCreated().expectBody().jsonPath("$.inserted").isEqualTo(1000);
    }

    @Test
    void aLineOfMoreFieldsThanTheLimitIsA422NamingLineAndColumn() {
        upload("teams", TEAMS_HEADER.strip() + extraNames(17) + "\nT1,North,Front Door,assessment" + ",x".repeat(17) + "\n")
                .expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.errors[0].line").isEqualTo(1)
                .jsonPath("$.errors[0].column").isEqualTo("column 21")
                .jsonPath("$.errors[0].reason").isEqualTo("the line has more than 20 fields");
        upload("teams", TEAMS_HEADER + "T1,North,Front Door,assessment\nT2,South,Front Door,assessment" + ",x".repeat(17) + "\n")
                .expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.error_count").isEqualTo(1)
                .jsonPath("$.errors[0].line").isEqualTo(3)
                .jsonPath("$.errors[0].column").isEqualTo("column 21")
                .jsonPath("$.errors[0].reason").isEqualTo("the line has more than 20 fields");
        assertThat(count("teams")).isZero();
        upload("teams", TEAMS_HEADER.strip() + extraNames(16) + "\nT1,North,Front Door,assessment" + ",x".repeat(16) + "\n")
                .expectStatus().isCreated();
    }

    /** Header names of columns the dataset does not know: {@code ,extra1,extra2,...}. */
    private static String extraNames(int n) {
        StringBuilder names = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            names.append(",extra").append(i);
        }
        return names.toString();
    }

    @Test
    void aLineLongerThanTheLimitIsA422NamingLineAndColumnEvenWhenAStrayQuoteRunsToTheEnd() {
        upload("teams", TEAMS_HEADER + "T1,North,Front Door,assessment\nT2," + "S".repeat(600) + ",Front Door,assessment\n")
                .expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.errors[0].line").isEqualTo(3)
                .jsonPath("$.errors[0].column").isEqualTo("team_name")
                .jsonPath("$.errors[0].reason").isEqualTo("the line is longer than 500 characters (quoted line breaks included)");
        StringBuilder stray = new StringBuilder(TEAMS_HEADER + "T1,North,Front Door,assessment\nT2,\"South,Front Door,assessment\n");
        for (int i = 3; i < 200; i++) {
            stray.append("T").append(i).append(",Team,Front Door,assessment\n");
        }
        upload("teams", stray.toString()).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.error_count").isEqualTo(1)
                .jsonPath("$.errors[0].line").isEqualTo(3)
                .jsonPath("$.errors[0].column").isEqualTo("team_name")
                .jsonPath("$.errors[0].reason").isEqualTo("a quoted field is never closed (unbalanced quote)");
        assertThat(count("teams")).isZero();
        assertThat(count("imports")).isEqualTo(2);
        assertThat(one("SELECT string_agg(DISTINCT status, ',') FROM imports")).isEqualTo("rejected");
    }

    @Test
    void aRequestOfMoreEventsThanTheLimitIsA413AndStoresNothing() {
        loadTeamsAndStaff();
        StringBuilder eleven = new StringBuilder();
        for (int day = 1; day <= 11; day++) {
            eleven.append(SUPERVISION.formatted(day));
        }
        tooLarge(events(MediaType.APPLICATION_NDJSON, eleven.toString()), "at most 10 events");
        String array = "[" + String.join(",", eleven.toString().strip().split("\n")) + "]";
        tooLarge(events(MediaType.APPLICATION_JSON, array), "at most 10 events");
        assertThat(count("supervision")).isZero();
        assertThat(count("events")).isZero();
        events(MediaType.APPLICATION_NDJSON, eleven.substring(eleven.indexOf("\n") + 1)).expectStatus().isOk()
                .expectBody().jsonPath("$.accepted").isEqualTo(10);
    }

    @Test
    void anEventsBodyOverTheSizeLimitIsA413WhetherDeclaredOrStreamed() {
        loadTeamsAndStaff();
        String padded = SUPERVISION.formatted(1) + " \n".repeat(4200);
        tooLarge(events(MediaType.APPLICATION_NDJSON, padded), "8 KiB");
        tooLarge(web.post().uri("/api/events").contentType(MediaType.APPLICATION_NDJSON)
                .body(chunked(padded), DataBuffer.class).exchange(), "8 KiB");
        assertThat(count("events")).isZero();
    }

    @Test
    void anEventLineOverTheLengthLimitIsThatLinesRejectionAndTheOthersApply() {
        loadTeamsAndStaff();
        String longLine = "{\"type\": \"supervision_recorded\", \"note\": \"" + "x".repeat(600) + "\"}\n";
        events(MediaType.APPLICATION_NDJSON, SUPERVISION.formatted(1) + longLine + SUPERVISION.formatted(2))
                .expectStatus().isOk().expectBody()
                .jsonPath("$.accepted").isEqualTo(2)
                .jsonPath("$.results[1].line").isEqualTo(2)
                .jsonPath("$.results[1].status").isEqualTo("rejected")
                .jsonPath("$.results[1].errors[0].reason").value(r -> assertThat((String) r)
                        .startsWith("the line is longer than 500 bytes"));
        events(MediaType.APPLICATION_NDJSON, longLine).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.errors[0].line").isEqualTo(1)
                .jsonPath("$.errors[0].reason").value(r -> assertThat((String) r).startsWith("the line is longer than 500 bytes"));
        assertThat(count("supervision")).isEqualTo(2);
    }

    @Test
    void aCensusReturnOverItsSizeLimitIsA413AndAStreamedOneIsRecordedAsFailed() {
        RawHttp.Answer declared = RawHttp.post(port, "/api/imports/census", "application/xml", 32 * 1024 + 1, new byte[0]);
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.body()).contains("too-large").contains("larger than 32 KiB");
        assertThat(count("imports")).isZero();
        String xml = "<?xml version=\"1.0\"?>\n<!--" + "x".repeat(40 * 1024) + "-->\n<Message/>\n";
        tooLarge(web.post().uri("/api/imports/census").contentType(MediaType.APPLICATION_XML)
                .body(chunked(xml), DataBuffer.class).exchange(), "32 KiB");
        assertThat(one("SELECT status || ': ' || detail FROM imports")).startsWith("failed: refused: The upload is larger than 32 KiB");
    }

    private static void tooLarge(WebTestClient.ResponseSpec answer, String limit) {
        answer.expectStatus().isEqualTo(413)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://workforcewatch.org/problems/too-large")
                .jsonPath("$.status").isEqualTo(413)
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains(limit).contains("nothing of it was applied"));
    }

    private WebTestClient.ResponseSpec events(MediaType type, String body) {
        return web.post().uri("/api/events").contentType(type).bodyValue(body).exchange();
    }

    private void loadTeamsAndStaff() {
        upload("teams", Fixtures.VALID.get("teams")).expectStatus().isCreated();
        upload("staff", Fixtures.VALID.get("staff")).expectStatus().isCreated();
    }

    /** A teams file of {@code rows} valid lines whose team names are {@code nameLength} characters. */
    private static String teams(int rows, int nameLength) {
        StringBuilder file = new StringBuilder(TEAMS_HEADER);
        for (int i = 1; i <= rows; i++) {
            String name = ("Team " + i + " ").repeat(nameLength).substring(0, nameLength);
            file.append("T").append(i).append(',').append(name).append(",Front Door,assessment\n");
        }
        return file.toString();
    }

    /** The text as a body of several 4 KiB buffers, sent without a Content-Length (chunked). */
    private static Flux<DataBuffer> chunked(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<DataBuffer> buffers = new ArrayList<>();
        for (int at = 0; at < bytes.length; at += 4096) {
            byte[] piece = java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + 4096));
            buffers.add(DefaultDataBufferFactory.sharedInstance.wrap(piece));
        }
        return Flux.fromIterable(buffers);
    }

    private static byte[] zip(String name, String content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
