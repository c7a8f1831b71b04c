package org.workforcewatch.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Counters and durations of imports and live events, for Prometheus: {@code workforce_imports_total},
 * {@code workforce_import_rows_total}, {@code workforce_import_duration_seconds},
 * {@code workforce_events_total} and {@code workforce_event_request_duration_seconds}. Every dataset's
 * series exist from start-up at 0, so rate() works from the first scrape: each way in says which datasets it
 * feeds ({@link #expectImports}, {@link #expectEvents}), and this knows none of them itself.
 */
@Component
public class IngestMetrics implements MeterBinder {

    static final String SUCCEEDED = "succeeded";
    public static final String REJECTED = "rejected";
    public static final String FAILED = "failed";
    /** Events whose type is not known have no dataset. */
    public static final String UNKNOWN = "unknown";

    /** Imports take from milliseconds (a small file) to minutes (a national extract). */
    private static final Duration[] IMPORT_BUCKETS = seconds(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600);
    private static final Duration[] EVENT_BUCKETS = seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5);

    private volatile MeterRegistry registry;

    /** The outcomes of a live event. */
    public static final List<String> EVENT_OUTCOMES = List.of("applied", "duplicate", "rejected");

    private final Set<String> importDatasets = new LinkedHashSet<>();
    private final Set<String> eventDatasets = new LinkedHashSet<>(List.of(UNKNOWN));

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        this.registry = registry;
        importDatasets.forEach(this::importSeries);
        eventDatasets.forEach(this::eventSeries);
        eventRequests();
    }

    /** Datasets that imports feed: their series exist at 0 from now on. */
    public synchronized void expectImports(Collection<String> datasets) {
        for (String dataset : datasets) {
            if (importDatasets.add(dataset) && registry != null) {
                importSeries(dataset);
            }
        }
    }

    /** Datasets that live events feed: their series exist at 0 from now on. */
    public synchronized void expectEvents(Collection<String> datasets) {
        for (String dataset : datasets) {
            if (eventDatasets.add(dataset) && registry != null) {
                eventSeries(dataset);
            }
        }
    }

    private void importSeries(String dataset) {
        for (String outcome : List.of(SUCCEEDED, REJECTED, FAILED)) {
            imports(dataset, outcome);
            importDuration(dataset, outcome);
        }
        rows(dataset);
    }

    private void eventSeries(String dataset) {
        for (String outcome : EVENT_OUTCOMES) {
            events(dataset, outcome);
        }
    }

    /** An import committed. */
    void succeeded(ImportReceipt receipt) {
        succeeded(receipt.dataset(), receipt.rows(), Duration.ofMillis(receipt.durationMs() == null ? 0 : receipt.durationMs()));
    }

    /** An import of this many rows (or records) committed. */
    public void succeeded(String dataset, long rows, Duration took) {
        if (registry != null) {
            imports(dataset, SUCCEEDED).increment();
            rows(dataset).increment(rows);
            importDuration(dataset, SUCCEEDED).record(took);
        }
    }

    /** An import was refused ({@code rejected}: the data was wrong) or {@code failed}; nothing of it was applied. */
    public void ended(String dataset, String outcome, Duration took) {
        if (registry != null) {
            imports(dataset, outcome).increment();
            importDuration(dataset, outcome).record(took);
        }
    }

    /** A line of a request of live events, once its outcome is final (stored, duplicate or rejected). */
    public void event(String dataset, String outcome) {
        if (registry != null) {
            events(dataset, outcome).increment();
        }
    }

    /** A request of live events was answered. */
    public void eventRequest(Duration took) {
        if (registry != null) {
            eventRequests().record(took);
        }
    }

    private Counter imports(String dataset, String outcome) {
        return Counter.builder("workforce.imports").description("Imports finished, by dataset and outcome")
                .tag("dataset", dataset).tag("outcome", outcome).register(registry);
    }

    private Counter rows(String dataset) {
        return Counter.builder("workforce.import.rows").description("Rows accepted by successful imports")
                .tag("dataset", dataset).register(registry);
    }

    private Timer importDuration(String dataset, String outcome) {
        return Timer.builder("workforce.import.duration").description("How long imports took, by dataset and outcome")
                .tag("dataset", dataset).tag("outcome", outcome).serviceLevelObjectives(IMPORT_BUCKETS).register(registry);
    }

    private Counter events(String dataset, String outcome) {
        return Counter.builder("workforce.events").description("Live events received, by dataset and outcome")
                .tag("dataset", dataset).tag("outcome", outcome).register(registry);
    }

    private Timer eventRequests() {
        return Timer.builder("workforce.event.request.duration").description("How long a POST /api/events took")
                .serviceLevelObjectives(EVENT_BUCKETS).register(registry);
    }

    private static Duration[] seconds(double... values) {
        Duration[] d = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
        }
        return d;
    }
}
