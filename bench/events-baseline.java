import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Baseline for bench/events: plain single-row R2DBC inserts, one statement and one commit per row, from
 * a few connections at once, for a fixed time. The table holds what one event stores (its id, a
 * supervision row and the JSON payload), with a unique event id.
 *
 * <pre>java -cp "$(mvn -q dependency:build-classpath ...)" bench/events-baseline.java URL SECONDS CONNECTIONS</pre>
 *
 * URL is an r2dbc URL, e.g. r2dbc:postgresql://postgres@127.0.0.1:5432/workforce_bench_events. Prints one
 * line: {@code BASELINE rows=… seconds=… rows_per_s=… p50_us=… p99_us=…}.
 */
public class EventsBaseline {

    public static void main(String[] args) {
        String url = args[0];
        int seconds = Integer.parseInt(args[1]);
        int connections = Integer.parseInt(args[2]);
        ConnectionFactory factory = ConnectionFactories.get(url);

        Mono.usingWhen(Mono.from(factory.create()),
                c -> run(c, "DROP TABLE IF EXISTS bench_baseline")
                        .then(run(c, "CREATE TABLE bench_baseline (id bigserial PRIMARY KEY, event_id text UNIQUE,"
                                + " staff_id varchar(64) NOT NULL, supervision_date date NOT NULL, kind text NOT NULL, payload jsonb NOT NULL)")),
                Connection::close).block();

        // Warm the JIT and the connections for a few seconds, then measure.
        measure(factory, Math.min(5, seconds), connections, "warm");
        run(factory, "TRUNCATE bench_baseline");
        long[][] perConnection = measure(factory, seconds, connections, "run");

        long[] all = Arrays.stream(perConnection).flatMapToLong(Arrays::stream).sorted().toArray();
        System.out.printf("BASELINE rows=%d seconds=%d rows_per_s=%.0f p50_us=%d p99_us=%d%n", all.length, seconds,
                all.length / (double) seconds, percentile(all, 50), percentile(all, 99));
    }

    /** Each connection inserts rows one after another until the time is up; answers each insert's latency (µs). */
    private static long[][] measure(ConnectionFactory factory, int seconds, int connections, String tag) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        return Flux.range(0, connections)
                .flatMap(n -> Mono.usingWhen(Mono.from(factory.create()), c -> {
                    List<Long> latencies = new ArrayList<>();
                    int[] i = {0};
                    return Mono.defer(() -> {
                                long start = System.nanoTime();
                                return insert(c, tag + "-" + n + "-" + (i[0]++))
                                        .doOnSuccess(x -> latencies.add((System.nanoTime() - start) / 1000));
                            })
                            .repeat(() -> System.nanoTime() < deadline)
                            .then(Mono.fromSupplier(() -> latencies.stream().mapToLong(Long::longValue).toArray()));
                }, Connection::close), connections)
                .collectList().block().toArray(long[][]::new);
    }

    private static Mono<Long> insert(Connection c, String eventId) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String staff = String.format("S%05d", r.nextInt(1, 2001));
        LocalDate day = LocalDate.of(2026, r.nextInt(1, 11), r.nextInt(1, 29));
        String payload = "{\"type\":\"supervision_recorded\",\"occurred_at\":\"2026-11-23T10:15:00Z\",\"event_id\":\""
                + eventId + "\",\"staff_id\":\"" + staff + "\",\"supervision_date\":\"" + day + "\",\"kind\":\"formal\"}";
        return Flux.from(c.createStatement("INSERT INTO bench_baseline (event_id, staff_id, supervision_date, kind, payload)"
                                + " VALUES ($1, $2, $3, $4, CAST($5 AS jsonb))")
                        .bind("$1", eventId).bind("$2", staff).bind("$3", day).bind("$4", "formal").bind("$5", payload)
                        .execute())
                .flatMap(result -> result.getRowsUpdated())
                .reduce(0L, Long::sum);
    }

    private static Mono<Void> run(Connection c, String sql) {
        return Flux.from(c.createStatement(sql).execute()).flatMap(result -> result.getRowsUpdated()).then();
    }

    private static void run(ConnectionFactory factory, String sql) {
        Mono.usingWhen(Mono.from(factory.create()), c -> run(c, sql), Connection::close).block();
    }

    private static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
