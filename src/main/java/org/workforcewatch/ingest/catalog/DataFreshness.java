package org.workforcewatch.ingest.catalog;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.workforcewatch.ingest.census.CensusImport;
import org.workforcewatch.ingest.cscapi.CscApiIntake;
import org.workforcewatch.ingest.csv.Dataset;
import org.workforcewatch.ingest.csv.Datasets;
import org.workforcewatch.ingest.events.EventType;
import org.workforcewatch.ingest.ssd.SsdExtract;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * When each dataset of the import contract last received data: its last successful import (its own file,
 * or the Standard Safeguarding Dataset table that feeds the same records), and its last stored live
 * event. One indexed lookup per dataset and event type, so it stays cheap however long the logs grow.
 */
@Component
public class DataFreshness {

    /** A dataset's latest import and latest event; either may be null (never). */
    public record Latest(String dataset, Instant imported, Instant event) {

        /** The later of the two: when the dataset last changed. */
        public Instant updated() {
            return imported == null ? event : event == null ? imported : imported.isAfter(event) ? imported : event;
        }
    }

    private final DatabaseClient db;

    DataFreshness(DatabaseClient db) {
        this.db = db;
    }

    /** The datasets of the import contract (docs/DATA-FORMATS.md), in load order. */
    public static List<String> datasets() {
        return Datasets.loadOrder().stream().filter(d -> !d.startsWith(SSD)).toList();
    }

    private static final String SSD = "ssd_";

    /**
     * The imports that feed a dataset of the contract: its own, SSD tables written into the same records, and the
     * children's social care API records for the case datasets.
     */
    static List<String> fedBy(String dataset) {
        List<String> feeds = new ArrayList<>(List.of(dataset));
        String table = Datasets.byName(dataset).map(Dataset::table).orElse(null);
        for (Dataset d : SsdExtract.tables()) {
            if (d.name().startsWith(SSD) && (d.table().equals(table) || d.name().equals(SSD + "professionals") && dataset.equals("staff"))) {
                feeds.add(d.name());
            }
        }
        if (CscApiIntake.FEEDS.contains(dataset)) {
            feeds.add(CscApiIntake.DATASET);
        }
        return feeds;
    }

    /** Every dataset of the contract, and the census return, with when it last received data. */
    public Mono<List<Latest>> latest() {
        List<String> datasets = new ArrayList<>(datasets());
        datasets.add(CensusImport.DATASET);
        Mono<Map<String, Instant>> imports = Flux.fromIterable(datasets)
                .concatMap(d -> db.sql("SELECT max(finished_at) AS at FROM imports WHERE dataset = ANY (:feeds) AND status = 'succeeded'")
                        .bind("feeds", fedBy(d).toArray(String[]::new))
                        .map(r -> new Object[] {d, r.get("at", OffsetDateTime.class)}).one())
                .filter(pair -> pair[1] != null)
                .collectMap(pair -> (String) pair[0], pair -> ((OffsetDateTime) pair[1]).toInstant());
        Mono<Map<String, Instant>> events = Flux.fromArray(EventType.values())
                .concatMap(t -> db.sql("SELECT max(received_at) AS at FROM events WHERE type = :type")
                        .bind("type", t.wire()).map(r -> new Object[] {t.dataset().name(), r.get("at", OffsetDateTime.class)}).one())
                .filter(pair -> pair[1] != null)
                .collect(LinkedHashMap::new, (Map<String, Instant> m, Object[] pair) -> m.merge((String) pair[0],
                        ((OffsetDateTime) pair[1]).toInstant(), (a, b) -> a.isAfter(b) ? a : b));
        return Mono.zip(imports, events).map(both -> {
            List<Latest> latest = new ArrayList<>();
            for (String d : datasets) {
                latest.add(new Latest(d, both.getT1().get(d), both.getT2().get(d)));
            }
            return latest;
        });
    }
}
