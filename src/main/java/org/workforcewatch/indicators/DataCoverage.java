package org.workforcewatch.indicators;

import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * From when each dataset's history is complete, and so from when each indicator has a value
 * (docs/LIVE-INDICATORS.md, "Coverage"). A staff file holds the people in post and the leavers it has kept:
 * before its first recorded leaver, people who left are missing, so the staff history starts there. An
 * allocations file starts with its earliest allocation. A dataset with no such date (a snapshot, or no
 * leaver yet) vouches only from its first extract; one with nothing recorded, only for today. Configuration
 * ({@link HistorySettings}) replaces any of these.
 * <p>
 * An indicator is covered from the latest start of the datasets it reads, a year later for those counted
 * over a rolling twelve months (a turnover rate needs a year of leavers). The monthly history runs from the
 * first month end on or after the earliest indicator's start. The starts are kept in memory and worked out
 * again only for a dataset whose change reached back to or before its start ({@link #refresh}).
 */
@Component
public class DataCoverage {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.UK);

    /** A dataset the indicators read, and the date in it that vouches for its history. */
    public enum Source {
        STAFF("staff", "staff_spells", "min(end_date)", "the first recorded leaver"),
        ALLOCATIONS("allocations", "allocations", "min(start_date)", "the earliest allocation"),
        REFERRALS("referrals", "referrals", "min(referral_date)", "the earliest referral"),
        CHILDREN_IN_CARE("children_in_care", "children_in_care", "min(period_end)", "the first recorded end of a period in care"),
        CARE_LEAVERS("care_leavers", "care_leavers", null, null),
        SUPERVISION("supervision", "supervision", "min(supervision_date)", "the earliest supervision"),
        TRAINING("training", "training", "min(completed_date)", "the earliest completed course"),
        ABSENCE("absence", "absence", "min(start_date)", "the earliest absence"),
        ESTABLISHMENT("establishment", "establishment", "min(effective_from)", "the earliest establishment row"),
        SHIFTS("shifts", "shifts", "min(shift_date)", "the earliest shift");

        private final String dataset;
        private final String table;
        private final String vouches;
        private final String basis;

        Source(String dataset, String table, String vouches, String basis) {
            this.dataset = dataset;
            this.table = table;
            this.vouches = vouches;
            this.basis = basis;
        }

        public String dataset() {
            return dataset;
        }

        static List<String> names() {
            return Arrays.stream(values()).map(s -> s.dataset).toList();
        }

        static Optional<Source> byTable(String table) {
            return Arrays.stream(values()).filter(s -> s.table.equals(table)).findFirst();
        }
    }

    /** The datasets an indicator reads. */
    static List<Source> inputs(Indicator indicator) {
        return switch (indicator) {
            case CASELOAD_PER_FTE, WORKERS_OVER_CASELOAD, WORKER_CHANGES -> List.of(Source.STAFF, Source.ALLOCATIONS);
            case PA_CASELOAD_PER_FTE, CARE_LEAVER_CONTACT_OVERDUE -> List.of(Source.STAFF, Source.CARE_LEAVERS);
            case AGENCY_RATE, TURNOVER_RATE, AGENCY_NONCOMPLIANT -> List.of(Source.STAFF);
            case VACANCY_RATE -> List.of(Source.STAFF, Source.ESTABLISHMENT);
            case ALLOCATION_WAIT -> List.of(Source.REFERRALS);
            case SUPERVISION_OVERDUE -> List.of(Source.STAFF, Source.SUPERVISION);
            case INDUCTION_INCOMPLETE -> List.of(Source.STAFF, Source.TRAINING);
            case ASSESSMENT_OUT_OF_DATE -> List.of(Source.CHILDREN_IN_CARE);
            case PA_LATE -> List.of(Source.CHILDREN_IN_CARE, Source.CARE_LEAVERS);
            case OOH_COVER_GAP -> List.of(Source.SHIFTS);
            case ABSENCE_RATE -> List.of(Source.STAFF, Source.ABSENCE);
        };
    }

    /** Indicators counted over the twelve months up to their date: covered only once a whole year is. */
    static boolean rollingYear(Indicator indicator) {
        return switch (indicator) {
            case TURNOVER_RATE, WORKER_CHANGES, ABSENCE_RATE -> true;
            default -> false;
        };
    }

    /** What one dataset covers: from a date (null: nothing recorded yet, so today only), and why. */
    public record Covered(String dataset, LocalDate from, String basis, boolean configured) {
    }

    /** The coverage of every dataset on a day, and what follows from it for the indicators. */
    public record Coverage(LocalDate today, Map<Source, Covered> datasets) {

        /** The first day an indicator has a value. */
        public LocalDate from(Indicator indicator) {
            LocalDate from = LocalDate.MIN;
            for (Source s : inputs(indicator)) {
                LocalDate d = datasets.get(s).from();
                d = d == null ? today : d;
                from = d.isAfter(from) ? d : from;
            }
            if (rollingYear(indicator) && from.isBefore(today)) {
                from = from.plusYears(1).minusDays(1);
            }
            return from.isAfter(today) ? today : from;
        }

        /** Why an indicator has no value on a day, or null when it has one. */
        public String gap(Indicator indicator, LocalDate day) {
            LocalDate from = from(indicator);
            if (!day.isBefore(from)) {
                return null;
            }
            Source latest = null;
            for (Source s : inputs(indicator)) {
                LocalDate d = datasets.get(s).from() == null ? today : datasets.get(s).from();
                if (latest == null || d.isAfter(datasets.get(latest).from() == null ? today : datasets.get(latest).from())) {
                    latest = s;
                }
            }
            Covered c = datasets.get(latest);
            String since = c.from() == null ? "no " + c.dataset() + " recorded before today"
                    : c.dataset() + " recorded from " + DAY.format(c.from()) + " (" + c.basis() + ")";
            return "not covered: " + since + (rollingYear(indicator) ? "; the figure counts twelve months, so it starts "
                    + DAY.format(from) : "");
        }

        /** The earliest day any indicator has a value: the start of the window a date may be asked for. */
        public LocalDate earliest() {
            return Arrays.stream(Indicator.values()).map(this::from).min(LocalDate::compareTo).orElse(today);
        }

        /** Month ends from the first on or after {@link #earliest()} up to, not including, today. */
        public List<LocalDate> monthEnds() {
            List<LocalDate> dates = new ArrayList<>();
            LocalDate first = earliest();
            LocalDate end = first.withDayOfMonth(first.lengthOfMonth());
            while (end.isBefore(today)) {
                dates.add(end);
                LocalDate next = end.plusMonths(1);
                end = next.withDayOfMonth(next.lengthOfMonth());
            }
            return dates;
        }

        /** Whether a date may be asked for: between the earliest coverage and today. */
        public boolean inWindow(LocalDate day) {
            return !day.isBefore(earliest()) && !day.isAfter(today);
        }
    }

    private final DatabaseClient db;
    private final Clock clock;
    private final HistorySettings settings;
    private final AtomicReference<Map<Source, Covered>> known = new AtomicReference<>();
    /** Whether to read the coverage another instance stored, rather than work it out afresh (after start-up). */
    private final java.util.concurrent.atomic.AtomicBoolean shared = new java.util.concurrent.atomic.AtomicBoolean();

    DataCoverage(DatabaseClient db, Clock clock, HistorySettings settings) {
        this.db = db;
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * The coverage now: as last worked out, and worked out again for any dataset whose changes, recorded but
     * not yet taken into the figures, reach back to or before its start (so a file just imported counts at
     * once). The first time, it is worked out for every dataset, or read as another instance last stored it.
     */
    public Mono<Coverage> current() {
        Map<Source, Covered> k = known.get();
        if (k == null) {
            return !shared.get() ? refresh(List.of(Source.values()), false)
                    : db.sql("SELECT value FROM indicator_state WHERE name = 'coverage'").map(r -> r.get("value", String.class)).one()
                            // worked out under other settings (an instance configured differently): not ours to use
                            .filter(text -> text.startsWith(settingsLine()))
                            .map(DataCoverage::parse)
                            .map(read -> {
                                known.set(read);
                                return new Coverage(LocalDate.now(clock), read);
                            })
                            .switchIfEmpty(Mono.defer(() -> refresh(List.of(Source.values()), false)));
        }
        return db.sql("SELECT dataset, greatest(min(from_date), DATE '0001-01-01') AS from_date FROM indicator_changes GROUP BY dataset")
                .map(r -> Map.entry(r.get("dataset", String.class), r.get("from_date", LocalDate.class))).all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .flatMap(pending -> moved(pending).isEmpty() ? Mono.just(new Coverage(LocalDate.now(clock), k))
                        : refresh(moved(pending), false));
    }

    /**
     * Another instance brought the figures up to date and may have moved the coverage: read it again, as that
     * instance stored it, when next asked.
     */
    public void forget() {
        shared.set(true);
        known.set(null);
    }

    /** The first line of the stored coverage: the settings it was worked out under. */
    private String settingsLine() {
        return "settings " + settings.from() + "\n";
    }

    private String format(Map<Source, Covered> coverage) {
        StringBuilder out = new StringBuilder(settingsLine());
        coverage.forEach((s, c) -> out.append(s.name()).append('|').append(c.from() == null ? "" : c.from()).append('|')
                .append(c.configured()).append('|').append(c.basis()).append('\n'));
        return out.toString();
    }

    private static Map<Source, Covered> parse(String text) {
        Map<Source, Covered> m = new EnumMap<>(Source.class);
        for (String line : text.split("\n")) {
            String[] p = line.split("\\|", 4);
            if (p.length == 4 && !line.startsWith("settings ")) {
                Source s = Source.valueOf(p[0]);
                m.put(s, new Covered(s.dataset, p[1].isEmpty() ? null : LocalDate.parse(p[1]), p[3], Boolean.parseBoolean(p[2])));
            }
        }
        for (Source s : Source.values()) {
            m.putIfAbsent(s, new Covered(s.dataset, null, "nothing recorded yet", false));
        }
        return Map.copyOf(m);
    }

    /** Works out again the coverage of these datasets; with {@code share}, stores it for the other instances. */
    private Mono<Coverage> refresh(Collection<Source> sources, boolean share) {
        return Flux.fromIterable(sources).concatMap(this::measure).collectList().map(measured -> {
            Map<Source, Covered> next = new EnumMap<>(Source.class);
            Map<Source, Covered> before = known.get();
            if (before != null) {
                next.putAll(before);
            }
            for (Covered c : measured) {
                next.put(Source.valueOf(c.dataset().toUpperCase(Locale.ROOT)), c);
            }
            for (Source s : Source.values()) {
                next.putIfAbsent(s, new Covered(s.dataset, null, "nothing recorded yet", false));
            }
            return Map.copyOf(next);
        }).flatMap(fixed -> (share ? db.sql("INSERT INTO indicator_state (name, value) VALUES ('coverage', :v)"
                        + " ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value").bind("v", format(fixed)).then() : Mono.<Void>empty())
                .then(Mono.fromSupplier(() -> {
                    known.set(fixed);
                    return new Coverage(LocalDate.now(clock), fixed);
                })));
    }

    /**
     * Works out again, and stores for the other instances, the coverage of the datasets whose changes (the
     * earliest date changed, per table written) reach back to or before their start: nothing else can move it.
     */
    public Mono<Coverage> refreshAfter(Map<String, LocalDate> earliestChange) {
        List<Source> moved = known.get() == null ? List.of(Source.values()) : moved(earliestChange);
        return refresh(moved, true);
    }

    private List<Source> moved(Map<String, LocalDate> earliestChange) {
        Map<Source, Covered> k = known.get();
        if (earliestChange.containsKey("indicator_results") || earliestChange.containsKey("indicator_settings") || k == null) {
            return List.of(Source.values());
        }
        List<Source> moved = new ArrayList<>();
        earliestChange.forEach((table, from) -> Source.byTable(table).ifPresent(s -> {
            Covered c = k.get(s);
            if (c == null || c.from() == null || !from.isAfter(c.from())) {
                moved.add(s);
            }
        }));
        return moved;
    }

    private Mono<Covered> measure(Source s) {
        LocalDate configured = settings.configured(s.dataset);
        if (configured != null) {
            return Mono.just(new Covered(s.dataset, configured, "set in workforce.history.from", true));
        }
        // the first extract: the earliest import still holding rows of the dataset
        String extract = "SELECT (min(i.finished_at) AT TIME ZONE 'Europe/London')::date FROM imports i WHERE i.status = 'succeeded'"
                + " AND i.id IN (SELECT DISTINCT import_id FROM " + s.table + ")";
        // the extract's date is looked up only when nothing in the data vouches (a CASE branch not taken is not run)
        String sql = "SELECT v.vouched, CASE WHEN v.vouched IS NULL THEN (" + extract + ") END AS extract,"
                + " EXISTS (SELECT 1 FROM " + s.table + ") AS any FROM (SELECT "
                + (s.vouches == null ? "NULL::date" : "(SELECT " + s.vouches + " FROM " + s.table + ")") + " AS vouched) v";
        return db.sql(sql).map(r -> {
            LocalDate vouched = r.get("vouched", LocalDate.class);
            LocalDate first = r.get("extract", LocalDate.class);
            boolean any = Boolean.TRUE.equals(r.get("any", Boolean.class));
            if (vouched != null) {
                return new Covered(s.dataset, vouched, s.basis, false);
            }
            if (any && first != null) {
                return new Covered(s.dataset, first, s.vouches == null ? "the first extract: the file holds current records only"
                        : "the first extract: no earlier record vouches for the history", false);
            }
            return new Covered(s.dataset, null, any ? "recorded only by live events so far" : "nothing recorded yet", false);
        }).one();
    }
}
