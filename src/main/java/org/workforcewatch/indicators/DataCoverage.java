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

    /**
     * What one dataset covers: from a date (null: nothing recorded yet, so today only), and why; {@code recorded}
     * when it holds any record at all.
     */
    public record Covered(String dataset, LocalDate from, String basis, boolean configured, boolean recorded) {
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

        /**
         * The earliest day any indicator has a value: the start of the window a date may be asked for. With nothing
         * recorded at all, only today, whatever is configured.
         */
        public LocalDate earliest() {
            if (datasets.values().stream().noneMatch(Covered::recorded)) {
                return today;
            }
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
    private final AtomicReference<Known> known = new AtomicReference<>();

    DataCoverage(DatabaseClient db, Clock clock, HistorySettings settings) {
        this.db = db;
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * The coverage now. It is kept in memory with the version of the coverage it was worked out at: a round that
     * moves the coverage (on any instance) bumps that version in the database, and an instance that sees a new
     * version works its coverage out again. Besides, any dataset whose changes, recorded but not yet taken into
     * the figures, reach back to or before its start is worked out again for this answer, so a file just
     * imported counts at once. One small query when nothing moved.
     */
    public Mono<Coverage> current() {
        return db.sql("SELECT (SELECT last_value FROM indicator_coverage_version) AS version,"
                        + " (SELECT string_agg(dataset || '=' || greatest(f, DATE '0001-01-01'), ',') FROM"
                        + " (SELECT dataset, min(from_date) AS f FROM indicator_changes GROUP BY dataset) x) AS pending")
                .map(r -> Map.entry(r.get("version", Long.class), pending(r.get("pending", String.class)))).one()
                .flatMap(probe -> kept(probe.getKey()).flatMap(base -> {
                    List<Source> moved = moved(base, probe.getValue());
                    return moved.isEmpty() ? Mono.just(new Coverage(LocalDate.now(clock), base))
                            : measured(base, moved).map(m -> new Coverage(LocalDate.now(clock), m));
                }));
    }

    /** The coverage kept at this version, worked out afresh if what is kept is of another. */
    private Mono<Map<Source, Covered>> kept(long version) {
        Known k = known.get();
        if (k != null && k.version() == version) {
            return Mono.just(k.coverage());
        }
        return measured(Map.of(), List.of(Source.values())).doOnNext(all -> known.set(new Known(version, all)));
    }

    private static Map<String, LocalDate> pending(String text) {
        Map<String, LocalDate> m = new java.util.HashMap<>();
        if (text != null) {
            for (String pair : text.split(",")) {
                int eq = pair.indexOf('=');
                m.put(pair.substring(0, eq), LocalDate.parse(pair.substring(eq + 1)));
            }
        }
        return m;
    }

    /** The coverage kept, and the version it was worked out at. */
    private record Known(long version, Map<Source, Covered> coverage) {
    }

    /**
     * In a round that takes changes in: works out again the coverage of the datasets whose changes (the earliest
     * date changed, per table written) reach back to or before their start, or which held nothing before;
     * nothing else can move it. If any moved, the version is bumped, so that every instance follows.
     */
    public Mono<Coverage> refreshAfter(Map<String, LocalDate> earliestChange) {
        return db.sql("SELECT last_value FROM indicator_coverage_version").map(r -> r.get("last_value", Long.class)).one()
                .flatMap(this::kept)
                .flatMap(base -> {
                    List<Source> moved = moved(base, earliestChange);
                    if (moved.isEmpty()) {
                        return Mono.just(new Coverage(LocalDate.now(clock), base));
                    }
                    return measured(base, moved).flatMap(fixed -> db.sql("SELECT nextval('indicator_coverage_version') AS v")
                            .map(r -> r.get("v", Long.class)).one()
                            .map(version -> {
                                known.set(new Known(version, fixed));
                                return new Coverage(LocalDate.now(clock), fixed);
                            }));
                });
    }

    /**
     * The datasets whose coverage a change can have moved: those changed back to or before their start, and
     * those that held nothing before.
     */
    private static List<Source> moved(Map<Source, Covered> k, Map<String, LocalDate> earliestChange) {
        List<Source> moved = new ArrayList<>();
        earliestChange.forEach((table, from) -> Source.byTable(table).ifPresent(s -> {
            Covered c = k.get(s);
            if (c == null || c.from() == null || !c.recorded() || !from.isAfter(c.from())) {
                moved.add(s);
            }
        }));
        return moved;
    }

    /** These datasets worked out again, the others as in {@code base}. */
    private Mono<Map<Source, Covered>> measured(Map<Source, Covered> base, Collection<Source> sources) {
        return Flux.fromIterable(sources).concatMap(this::measure).collectList().map(measured -> {
            Map<Source, Covered> next = new EnumMap<>(Source.class);
            next.putAll(base);
            for (Covered c : measured) {
                next.put(Source.valueOf(c.dataset().toUpperCase(Locale.ROOT)), c);
            }
            for (Source s : Source.values()) {
                next.putIfAbsent(s, new Covered(s.dataset, null, "nothing recorded yet", false, false));
            }
            return Map.copyOf(next);
        });
    }

    private Mono<Covered> measure(Source s) {
        LocalDate configured = settings.configured(s.dataset);
        // the first extract: the earliest import still holding rows of the dataset
        String extract = "SELECT (min(i.finished_at) AT TIME ZONE 'Europe/London')::date FROM imports i WHERE i.status = 'succeeded'"
                + " AND i.id IN (SELECT DISTINCT import_id FROM " + s.table + ")";
        // the extract's date is looked up only when nothing in the data vouches (a CASE branch not taken is not run)
        String vouches = configured != null || s.vouches == null ? "NULL::date" : "(SELECT " + s.vouches + " FROM " + s.table + ")";
        String sql = "SELECT v.vouched, CASE WHEN v.vouched IS NULL AND " + (configured == null) + " THEN (" + extract + ") END AS extract,"
                + " EXISTS (SELECT 1 FROM " + s.table + ") AS any FROM (SELECT " + vouches + " AS vouched) v";
        return db.sql(sql).map(r -> {
            LocalDate vouched = r.get("vouched", LocalDate.class);
            LocalDate first = r.get("extract", LocalDate.class);
            boolean any = Boolean.TRUE.equals(r.get("any", Boolean.class));
            if (configured != null) {
                return new Covered(s.dataset, configured, "set in workforce.history.from", true, any);
            }
            if (vouched != null) {
                return new Covered(s.dataset, vouched, s.basis, false, any);
            }
            if (any && first != null) {
                return new Covered(s.dataset, first, s.vouches == null ? "the first extract: the file holds current records only"
                        : "the first extract: no earlier record vouches for the history", false, true);
            }
            return new Covered(s.dataset, null, any ? "recorded only by live events so far" : "nothing recorded yet", false, any);
        }).one();
    }
}
