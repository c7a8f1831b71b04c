package org.workforcewatch.ingest.cscapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.web.ErrorResponseException;

/** The reader and checker of child records, without Spring or a database: what is staged, and every problem's place. */
class CscRecordReaderTest {

    /** The reference's example (src/main/resources/reference/dfe-csc-api/README.md), as the pipeline sends it. */
    static String example() {
        try (InputStream in = CscRecordReaderTest.class.getResourceAsStream("/reference/dfe-csc-api/README.md")) {
            String readme = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return readme.substring(readme.indexOf("```json") + 7, readme.lastIndexOf("```"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Read(Batch batch, List<String> rows) {
        List<String> kinds() {
            return rows.stream().map(r -> r.split("\t")[1]).toList();
        }
    }

    /** Feeds the body in pieces of {@code size} bytes, as the network may deliver it. */
    private static Read read(String body, boolean full, int size) {
        Batch batch = new Batch(full, 1000);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        List<ByteBuf> pieces = new ArrayList<>();
        for (int from = 0; from < bytes.length; from += size) {
            pieces.addAll(batch.feed(Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + size))));
        }
        pieces.addAll(batch.finish());
        StringBuilder all = new StringBuilder();
        pieces.forEach(p -> all.append(p.toString(StandardCharsets.UTF_8)));
        List<String> rows = all.isEmpty() ? List.of() : List.of(all.toString().split("\n"));
        return new Read(batch, rows);
    }

    private static Read read(String body) {
        return read(body, false, 1 << 20);
    }

    @Test
    void theReferenceExampleIsStagedWithoutProblemsWhateverPiecesItArrivesIn() {
        Read whole = read(example());
        assertThat(whole.batch().problems()).isEmpty();
        assertThat(whole.batch().records()).isEqualTo(2);
        assertThat(whole.kinds()).containsExactly("child", "episode", "worker", "worker", "assessment",
                "child", "episode", "worker", "placement", "care_leaver");
        assertThat(read(example(), false, 1).rows()).isEqualTo(whole.rows());
        assertThat(read(example(), false, 7).rows()).isEqualTo(whole.rows());
    }

    @Test
    void onlyTheBirthMonthIsStagedNeverTheDateOfBirthNameUpnOrPostcode() {
        Read read = read("""
                [{"la_child_id": "C1", "mis_child_id": "M1",
                  "child_details": {"first_name": "Zebedee", "surname": "Quixote", "unique_pupil_number": "A123456789012",
                                    "former_unique_pupil_number": "B123456789012", "postcode": "CB1 2AB",
                                    "date_of_birth": "2010-05-17"},
                  "social_care_episodes": [{"social_care_episode_id": "E1", "referral_date": "2025-01-02",
                     "child_looked_after_placements": [{"child_looked_after_placement_id": "L1", "start_date": "2025-02-01",
                                                        "postcode": "PE1 1XY"}]}]}]
                """);
        String staged = String.join("\n", read.rows());
        assertThat(staged).contains("2010-05-01").doesNotContain("2010-05-17", "Zebedee", "Quixote", "A123456789012",
                "B123456789012", "CB1 2AB", "PE1 1XY");
    }

    @Test
    void aDateThatIsWrongDeepInARecordIsNamedByItsPointerAndRecordIndex() {
        String good = "{\"la_child_id\": \"C%d\", \"mis_child_id\": \"M\", \"child_details\": {}}";
        String bad = """
                {"la_child_id": "C3", "mis_child_id": "M3", "child_details": {},
                 "social_care_episodes": [{"social_care_episode_id": "E1", "care_worker_details": [
                    {"worker_id": "W1", "start_date": "2025-01-01"},
                    {"worker_id": "W2", "start_date": "01/02/2025"}]}]}""";
        Read read = read("[" + good.formatted(0) + "," + good.formatted(1) + "," + good.formatted(2) + "," + bad + "]");
        assertThat(read.batch().problems()).singleElement().satisfies(p -> {
            assertThat(p.record()).isEqualTo(3);
            assertThat(p.pointer()).isEqualTo("/3/social_care_episodes/0/care_worker_details/1/start_date");
            assertThat(p.reason()).contains("YYYY-MM-DD");
        });
    }

    @Test
    void requiredFieldsEndsBeforeStartsLongIdsAndImpossibleDatesAreEachAProblem() {
        Read read = read("""
                [{"mis_child_id": "M1", "child_details": {}},
                 {"la_child_id": "C2", "child_details": {}},
                 {"la_child_id": "C3", "mis_child_id": "M3"},
                 {"la_child_id": "%s", "mis_child_id": "M4", "child_details": {}},
                 {"la_child_id": "C5", "mis_child_id": "M5", "child_details": {"date_of_birth": "2010-02-30"},
                  "social_care_episodes": [{"social_care_episode_id": "E1", "referral_date": "2025-03-01",
                      "closure_date": "2025-02-01",
                      "child_and_family_assessments": [{"child_and_family_assessment_id": "A1", "start_date": "2025-03-05",
                                                        "authorisation_date": "2025-03-04"}],
                      "care_worker_details": [{"worker_id": "W1"}]}]},
                 "not a record"]
                """.formatted("x".repeat(65)));
        assertThat(read.batch().problems()).extracting(RecordReader.Problem::pointer).containsExactly(
                "/0/la_child_id", "/1/mis_child_id", "/2/child_details", "/3/la_child_id",
                "/4/child_details/date_of_birth", "/4/social_care_episodes/0/closure_date",
                "/4/social_care_episodes/0/care_worker_details/0/start_date",
                "/4/social_care_episodes/0/child_and_family_assessments/0/authorisation_date", "/5");
        assertThat(read.batch().problems().get(3).reason()).contains("at most 64");
        assertThat(read.rows()).as("a record with a problem stages nothing").isEmpty();
    }

    @Test
    void theSameChildTwiceInOneBatchIsAProblemOfTheSecond() {
        Read read = read("""
                [{"la_child_id": "C1", "mis_child_id": "M1", "child_details": {}},
                 {"la_child_id": "C1", "mis_child_id": "M1", "child_details": {}}]""");
        assertThat(read.batch().problems()).singleElement().satisfies(p -> {
            assertThat(p.pointer()).isEqualTo("/1/la_child_id");
            assertThat(p.reason()).contains("record 0");
        });
    }

    @Test
    void recordsOneAfterAnotherAsNdjsonReadAsAnArrayDoes() {
        Read ndjson = read("""
                {"la_child_id": "C1", "mis_child_id": "M1", "child_details": {}}
                {"la_child_id": "C2", "mis_child_id": "M2", "child_details": {}, "purge": true}
                """);
        assertThat(ndjson.batch().records()).isEqualTo(2);
        assertThat(ndjson.rows()).hasSize(2);
        assertThat(ndjson.rows().get(1)).startsWith("1\tchild\tC2\t").contains("\tt\tpartial");
    }

    @Test
    void aFullRecordAndTheFieldsAPartialOneCarriesAreMarked() {
        assertThat(read("[{\"la_child_id\": \"C1\", \"mis_child_id\": \"M1\", \"child_details\": {\"date_of_birth\": null}}]",
                true, 100).rows().get(0)).endsWith("\tf\tfull,birth");
        assertThat(read("""
                [{"la_child_id": "C1", "mis_child_id": "M1", "child_details": {},
                  "social_care_episodes": [{"social_care_episode_id": "E1", "closure_date": "2025-01-01"}]}]""").rows().get(1))
                .endsWith("\tf\t,closure");
    }

    @Test
    void identifiersWithTabsOrBackslashesAreEscapedForCopy() {
        Read read = read("[{\"la_child_id\": \"C\\t1\\\\\", \"mis_child_id\": 42, \"child_details\": {}}]");
        assertThat(read.rows().get(0)).startsWith("0\tchild\tC\\t1\\\\\t\\N\t42\t");
    }

    @Test
    void aBodyThatIsNotRecordsIsRefusedSayingWhere() {
        assertThatThrownBy(() -> read("[{\"la_child_id\": \"C1\",, }]")).isInstanceOf(RecordStream.NotRecords.class)
                .hasMessageContaining("not valid JSON").hasMessageContaining("line 1");
        assertThatThrownBy(() -> read("")).isInstanceOf(RecordStream.NotRecords.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> read("\"records\"")).isInstanceOf(RecordStream.NotRecords.class)
                .hasMessageContaining("JSON array");
        assertThatThrownBy(() -> read("[{\"la_child_id\": \"C1\"")).isInstanceOf(RecordStream.NotRecords.class)
                .hasMessageContaining("ends in the middle");
        assertThatThrownBy(() -> read("[] []")).isInstanceOf(RecordStream.NotRecords.class)
                .hasMessageContaining("more after");
    }

    @Test
    void aRecordLargerThanAMebibyteIsRefusedBeforeItsTreeOutgrowsTheHeap() {
        String small = "{\"la_child_id\": \"C1\", \"mis_child_id\": \"M\", \"child_details\": {}}";
        StringBuilder workers = new StringBuilder();
        while (workers.length() < RecordStream.MAX_RECORD_BYTES) {
            workers.append("{\"worker_id\": \"W\", \"start_date\": \"2025-01-01\"},");
        }
        String huge = "{\"la_child_id\": \"C2\", \"mis_child_id\": \"M\", \"child_details\": {}, \"social_care_episodes\":"
                + " [{\"social_care_episode_id\": \"E\", \"care_worker_details\": [" + workers + "{}]}]}";
        assertThatThrownBy(() -> read("[" + small + ", " + huge + "]")).isInstanceOf(RecordStream.NotRecords.class)
                .hasMessageContaining("record 1 (from 0) is larger than 1024 KiB");
        // just under the limit is a record like any other
        String entry = "{\"worker_id\": \"W\", \"start_date\": \"2025-01-01\"},";
        String half = entry.repeat((int) (RecordStream.MAX_RECORD_BYTES / 2 / entry.length()));
        String big = huge.substring(0, huge.indexOf('[', huge.indexOf("care_worker_details")) + 1) + half + "{}]}]}";
        assertThat(read("[" + small + ", " + big + "]")).isNotNull();
    }

    @Test
    void moreRecordsThanTheLimitAreRefusedAsTooLarge() {
        Batch batch = new Batch(false, 2);
        String three = "[{\"la_child_id\": \"C1\", \"mis_child_id\": \"M\", \"child_details\": {}},"
                + "{\"la_child_id\": \"C2\", \"mis_child_id\": \"M\", \"child_details\": {}},"
                + "{\"la_child_id\": \"C3\", \"mis_child_id\": \"M\", \"child_details\": {}}]";
        assertThatThrownBy(() -> {
            batch.feed(three.getBytes(StandardCharsets.UTF_8));
            batch.finish();
        }).isInstanceOf(ErrorResponseException.class).hasMessageContaining("413");
    }

    @Test
    void stagedRowsComeInPiecesOfAboutAQuarterMebibyte() {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 20_000; i++) {
            body.append(i == 0 ? "" : ",").append("{\"la_child_id\": \"C").append(i)
                    .append("\", \"mis_child_id\": \"M\", \"child_details\": {}, \"social_care_episodes\": [{\"social_care_episode_id\": \"E1\"}]}");
        }
        Batch batch = new Batch(false, 100_000);
        List<ByteBuf> pieces = new ArrayList<>(batch.feed(body.append("]").toString().getBytes(StandardCharsets.UTF_8)));
        pieces.addAll(batch.finish());
        assertThat(pieces).hasSizeGreaterThan(1);
        assertThat(pieces.subList(0, pieces.size() - 1)).allSatisfy(p ->
                assertThat(p.readableBytes()).isBetween(Batch.CHUNK, Batch.CHUNK + 4096));
    }
}
