package org.workforcewatch.faults;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The data of the fault tests: one team, a hundred workers, and as many allocations or supervision events as wanted. */
final class Workload {

    static final String TEAMS = """
            team_id,team_name,service,team_type,parent_team_id
            T1,Assessment North,Front Door,assessment,
            """;

    static final int WORKERS = 100;
    private static final int CHUNK = 64 * 1024;

    private Workload() {
    }

    static String staff() {
        return "staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding,qualified_date,"
                + "agency_name,agency_hourly_rate\n" + IntStream.range(0, WORKERS)
                .mapToObj(i -> "S" + i + ",T1,social_worker,permanent,1,2022-01-10,,,Y,2015-07-01,,\n").collect(Collectors.joining());
    }

    /** An allocations file of this many rows (several MB at 200,000), spread over the workers. */
    static byte[] allocations(int rows) {
        StringBuilder csv = new StringBuilder("allocation_id,child_id,staff_id,case_type,start_date,end_date,change_reason\n");
        for (int i = 0; i < rows; i++) {
            csv.append(String.format("A%07d,C%07d,S%d,%s,%s,,\n", i, i, i % WORKERS, i % 3 == 0 ? "cp" : "cin",
                    LocalDate.of(2024, 1, 1).plusDays(i % 300)));
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The SHA-256 of a file's data lines, sorted: what {@link #storedAllocations} answers when the table holds exactly the file. */
    static String fingerprint(byte[] csv) {
        List<String> lines = Arrays.asList(new String(csv, StandardCharsets.UTF_8).split("\n"));
        return sha256(String.join("\n", lines.subList(1, lines.size()).stream().sorted().toList()));
    }

    /** The stored allocations as the lines of a file, sorted, fingerprinted as {@link #fingerprint} does. */
    static String storedAllocations(DatabaseClient db) {
        return sha256(db.sql("SELECT coalesce(string_agg(concat_ws(',', allocation_id, child_id, staff_id, case_type, start_date,"
                        + " coalesce(end_date::text, ''), coalesce(change_reason, '')), E'\\n' ORDER BY allocation_id COLLATE \"C\"), '')"
                        + " AS lines FROM allocations")
                .map(row -> row.get("lines", String.class)).one().block());
    }

    /**
     * A request body that sends the first {@code openBytes} of a file at once and the rest only when the
     * gate completes: the server holds an import that is surely in flight.
     */
    static Flux<DataBuffer> gated(byte[] file, int openBytes, Mono<?> gate) {
        return Flux.concat(chunks(file, 0, openBytes), gate.thenMany(chunks(file, openBytes, file.length)));
    }

    private static Flux<DataBuffer> chunks(byte[] file, int from, int to) {
        return Flux.range(0, (to - from + CHUNK - 1) / CHUNK).map(i -> DefaultDataBufferFactory.sharedInstance.wrap(
                Arrays.copyOfRange(file, from + i * CHUNK, Math.min(to, from + (i + 1) * CHUNK))));
    }

    /** One supervision_recorded event as an NDJSON line; {@code n} picks a distinct worker and date. */
    static String supervisionEvent(String eventId, int n) {
        return """
                {"type": "supervision_recorded", "occurred_at": "2026-11-23T10:15:00Z", "event_id": "%s", "staff_id": "S%d", "supervision_date": "%s"}
                """.formatted(eventId, n % WORKERS, LocalDate.of(2020, 1, 1).plusDays(n / WORKERS));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
