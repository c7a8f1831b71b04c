package org.workforcewatch.ingest.events;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.workforcewatch.ingest.csv.Column;
import org.workforcewatch.ingest.csv.Dataset;
import org.workforcewatch.ingest.csv.Datasets;

/**
 * The live event types of docs/DATA-FORMATS.md and the dataset each one writes. A "row" event carries
 * a whole row of its dataset, checked exactly as a file line is; the other events change a few columns
 * of a stored record, named by its key.
 */
public enum EventType {
    STAFF_STARTED("staff", null),
    /** Ends a spell: the one named by team_id and start_date, or else the person's single open spell. */
    STAFF_LEFT("staff", new String[] {"staff_id", "end_date", "leaving_reason", "team_id", "start_date"},
            "staff_id", "end_date"),
    ALLOCATION_STARTED("allocations", null),
    ALLOCATION_ENDED("allocations", new String[] {"allocation_id", "end_date", "change_reason"}, "allocation_id", "end_date"),
    REFERRAL_RECEIVED("referrals", null),
    REFERRAL_ALLOCATED("referrals", new String[] {"referral_id", "allocated_date"}, "referral_id", "allocated_date"),
    SUPERVISION_RECORDED("supervision", null),
    CARE_LEAVER_UPDATED("care_leavers", null);

    /** The fields every event has besides its dataset's columns. */
    static final List<String> ENVELOPE = List.of("type", "occurred_at", "event_id");

    private final String wire = name().toLowerCase(Locale.ROOT);
    private final Dataset dataset;
    private final List<Column> fields;
    private final List<String> changes;
    private final List<Dataset.Reference> references;
    private final int[] key;

    /**
     * @param fieldNames the columns such an event carries (null: the whole row)
     * @param required   which of them are required (for a row event, as the dataset says)
     */
    EventType(String datasetName, String[] fieldNames, String... required) {
        this.dataset = Datasets.byName(datasetName).orElseThrow();
        if (fieldNames == null) {
            this.fields = dataset.columns();
            this.changes = dataset.nonKeyColumns();
        } else {
            List<Column> f = new ArrayList<>();
            for (String name : fieldNames) {
                Column c = dataset.columns().get(dataset.indexOf(name));
                f.add(new Column(c.name(), c.kind(), Arrays.asList(required).contains(name), c.allowed(), c.min(),
                        c.minExclusive(), c.max(), c.whenBlank(), c.codes()));
            }
            this.fields = List.copyOf(f);
            List<String> changed = new ArrayList<>(Arrays.asList(fieldNames));
            changed.removeAll(dataset.key());
            this.changes = List.copyOf(changed);
        }
        this.references = dataset.references().stream().filter(r -> r.columns().size() == 1).toList();
        this.key = dataset.key().stream().mapToInt(dataset::indexOf).toArray();
    }

    /** The name senders use, e.g. {@code staff_left}. */
    public String wire() {
        return wire;
    }

    static EventType byWire(String name) {
        for (EventType t : values()) {
            if (t.wire().equals(name)) {
                return t;
            }
        }
        return null;
    }

    static String allowed() {
        return String.join(", ", Arrays.stream(values()).map(EventType::wire).toList());
    }

    public Dataset dataset() {
        return dataset;
    }

    /** The fields this event carries, in the order {@link EventLine#values()} holds them. */
    List<Column> fields() {
        return fields;
    }

    boolean wholeRow() {
        return fields == dataset.columns();
    }

    /** The non-key columns this event writes. */
    List<String> changes() {
        return changes;
    }

    /** The dataset's references by one column, checked for a whole-row event. */
    List<Dataset.Reference> references() {
        return references;
    }

    /** The key of a whole row of the dataset. */
    List<String> key(String[] row) {
        String[] k = new String[key.length];
        for (int i = 0; i < key.length; i++) {
            k[i] = row[key[i]];
        }
        return List.of(k);
    }

    int field(String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
