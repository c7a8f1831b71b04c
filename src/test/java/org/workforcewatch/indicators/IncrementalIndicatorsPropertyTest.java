package org.workforcewatch.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.reactive.function.client.WebClient;
import org.workforcewatch.ApiTest;
import org.workforcewatch.DatabaseOwner;
import org.workforcewatch.WorkforceWatchApplication;
import org.workforcewatch.ingest.DataChanged;
import reactor.core.publisher.Mono;

/**
 * The indicators kept up to date incrementally equal a full recompute from scratch: for random small
 * authorities and random sequences of file imports and live events (sometimes in quick succession, so that
 * changes arrive while earlier ones are being taken in), once the service has taken everything in, every
 * stored team figure on every stored date, and every service and authority figure read from them, is what
 * computing the whole authority afresh gives.
 */
class IncrementalIndicatorsPropertyTest {

    private static final String[] TEAMS = {"T1", "T2", "T3", "T4", "T5"};
    private static final String[] ROLES = {"social_worker", "social_worker", "senior_practitioner", "asye", "team_manager",
        "personal_adviser"};
    private static final String[] CASE_TYPES = {"cin", "cp", "cla", "cla", "assessment"};
    private static final ZoneId LONDON = ZoneId.of("Europe/London");

    private static ConfigurableApplicationContext app;
    private static WebClient web;

    @BeforeContainer
    static void start() {
        app = new SpringApplicationBuilder(WorkforceWatchApplication.class)
                .run("--server.port=0", "--workforce.history.from.all=2023-01-01",
                        // month ends wait while changes arrive close together, and rounds keep a gap, as in live use
                        "--workforce.indicators.history-quiet=300ms", "--workforce.indicators.round-gap=500ms");
        int port = app.getEnvironment().getProperty("local.server.port", Integer.class);
        web = WebClient.builder().baseUrl("http://localhost:" + port).defaultHeaders(h -> h.setBasicAuth("admin", "test"))
                .codecs(c -> c.defaultCodecs().maxInMemorySize(16 << 20)).build();
    }

    @AfterContainer
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Property(tries = 12)
    void incrementalResultsEqualAFullRecomputeAtEveryDateAndLevel(@ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long seed,
                                                                  @ForAll @IntRange(min = 1, max = 8) int steps) {
        emptyDatabase();
        Authority authority = new Authority(new SplittableRandom(seed), LocalDate.now(LONDON));
        for (String dataset : Authority.DATASETS) {
            importFile(dataset, authority.csv(dataset));
        }
        settle();
        for (int s = 0; s < steps; s++) {
            if (authority.random.nextBoolean()) {
                String dataset = authority.mutate();
                importFile(dataset, authority.csv(dataset));
            } else {
                postEvents(authority.events(1 + authority.random.nextInt(6)));
            }
            if (authority.random.nextInt(3) == 0) {
                settle(); // otherwise the next change arrives while this one may still be being taken in
            }
        }
        settle();

        IndicatorEngine engine = app.getBean(IndicatorEngine.class);
        DatabaseClient db = app.getBean(DatabaseClient.class);
        TransactionalOperator tx = app.getBean(TransactionalOperator.class);
        List<LocalDate> dates = db.sql("SELECT as_of FROM indicator_dates ORDER BY as_of").map(r -> r.get("as_of", LocalDate.class))
                .all().collectList().block();
        assertThat(dates).as("stored dates").isNotEmpty();
        String list = String.join(",", dates.stream().map(LocalDate::toString).toList());

        List<String> stored = db.sql("SELECT " + ROW + " FROM indicator_results WHERE as_of = ANY (CAST(string_to_array(:d, ',') AS date[]))")
                .bind("d", list).map(r -> r.get("row", String.class)).all().sort().collectList().block();
        List<String> fresh = tx.transactional(engine.compute(IndicatorEngine.Targets.everyTeam(dates), false)
                        .thenMany(db.sql("SELECT " + ROW + " FROM w_results").map(r -> r.get("row", String.class)).all()))
                .sort().collectList().block();
        assertThat(stored).as("team figures kept incrementally, seed " + seed).containsExactlyElementsOf(fresh);

        Map<String, String> before = levels(engine, dates);
        engine.invalidate().block(); // reads now compute every date afresh
        assertThat(levels(engine, dates)).as("figures at every level, seed " + seed).isEqualTo(before);
    }

    /** Every figure of a date: numbers normalised, so that 2.0 and 2.000 are the same. */
    private static final String ROW = "concat_ws('|', as_of, indicator, coalesce(team_id, '-'), trim_scale(numerator),"
            + " trim_scale(denominator), coalesce(trim_scale(detail)::text, '-')) AS row";

    private static Map<String, String> levels(IndicatorEngine engine, List<LocalDate> dates) {
        Map<String, String> out = new TreeMap<>();
        for (String level : List.of("team", "service", "authority")) {
            engine.current(dates, level, null, null).toStream().forEach(d -> out.put(
                    d.asOf() + " " + level + " " + d.value().scope() + " " + d.value().indicator(),
                    d.value().numerator() + "/" + d.value().denominator() + " " + d.value().value() + " " + d.value().reason()));
        }
        return out;
    }

    private static void emptyDatabase() {
        DatabaseOwner.emptyAllBut(app.getEnvironment(), ApiTest.SEEDED);
        app.publishEvent(new DataChanged("all", 0));
        settle();
    }

    /** Waits until every change is taken in and every covered date stored. */
    private static void settle() {
        IndicatorEngine engine = app.getBean(IndicatorEngine.class);
        await("the indicators settle").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50))
                .until(() -> engine.settled().block(Duration.ofSeconds(30)));
    }

    private static void importFile(String dataset, String csv) {
        HttpStatusCode status = web.post().uri("/api/imports/" + dataset).contentType(MediaType.parseMediaType("text/csv"))
                .bodyValue(csv).exchangeToMono(r -> r.bodyToMono(String.class).defaultIfEmpty("")
                        .flatMap(body -> r.statusCode().is2xxSuccessful() ? Mono.just(r.statusCode())
                                : Mono.error(new AssertionError(dataset + " refused: " + body + "\n" + csv)))).block();
        assertThat(status.value()).isEqualTo(201);
    }

    private static void postEvents(String ndjson) {
        String answer = web.post().uri("/api/events").contentType(MediaType.parseMediaType("application/x-ndjson")).bodyValue(ndjson)
                .exchangeToMono(r -> r.bodyToMono(String.class).defaultIfEmpty("")
                        .flatMap(body -> r.statusCode().is2xxSuccessful() ? Mono.just(body)
                                : Mono.error(new AssertionError("events refused: " + body + "\n" + ndjson)))).block();
        assertThat(answer).contains("\"rejected\":0");
    }

    /** A small random authority, as the files and events describe it. */
    static final class Authority {

        static final List<String> DATASETS = List.of("teams", "staff", "establishment", "allocations", "referrals",
                "children_in_care", "care_leavers", "supervision", "training", "absence", "shift_requirements", "shifts");

        final SplittableRandom random;
        private final LocalDate today;
        private final LocalDate start;
        private final List<String[]> spells = new ArrayList<>();       // staff_id, team, role, employment, fte, start, end, reason, case_holding
        private final List<String[]> allocations = new ArrayList<>();  // id, child, staff, case_type, start, end
        private final List<String[]> referrals = new ArrayList<>();    // id, child, team, date, allocated
        private final List<String[]> inCare = new ArrayList<>();       // child, dob, start, end, assessment
        private final List<String[]> leavers = new ArrayList<>();      // child, dob, eligibility, pa, in_touch, contact
        private final Map<String, String> supervision = new TreeMap<>(); // staff|date -> kind
        private final Map<String, String> training = new TreeMap<>();    // staff|course -> completed
        private final List<String[]> absence = new ArrayList<>();      // staff, start, end, reason
        private final List<String[]> establishment = new ArrayList<>(); // team, role, fte, from
        private final List<String[]> shifts = new ArrayList<>();       // date, team, shift, staff
        private int next = 1;
        private int events = 1;

        Authority(SplittableRandom random, LocalDate today) {
            this.random = random;
            this.today = today;
            this.start = today.minusMonths(30);
            int people = 6 + random.nextInt(6);
            for (int p = 0; p < people; p++) {
                addSpell("S" + p);
            }
            for (int a = 0; a < 10 + random.nextInt(20); a++) {
                addAllocation();
            }
            for (int r = 0; r < 3 + random.nextInt(8); r++) {
                addReferral();
            }
            for (int c = 0; c < 3 + random.nextInt(6); c++) {
                inCare.add(new String[] {"C" + random.nextInt(12), day(today.minusYears(10 + random.nextInt(8))), day(date()),
                    random.nextInt(3) == 0 ? day(today) : "", random.nextBoolean() ? day(date()) : ""});
            }
            for (int c = 0; c < 1 + random.nextInt(5); c++) {
                addCareLeaver("L" + c);
            }
            for (int s = 0; s < 10 + random.nextInt(20); s++) {
                supervision.put(staff() + "|" + day(date()), "formal");
            }
            for (int t = 0; t < 4 + random.nextInt(6); t++) {
                training.put(staff() + "|" + (random.nextBoolean() ? "induction" : "practice_model"),
                        random.nextInt(4) == 0 ? "" : day(date()));
            }
            for (int a = 0; a < 2 + random.nextInt(5); a++) {
                LocalDate from = date();
                absence.add(new String[] {staff(), day(from), day(from.plusDays(random.nextInt(15))), random.nextInt(4) == 0 ? "other" : "sickness"});
            }
            for (String team : TEAMS) {
                establishment.add(new String[] {team, "social_worker", String.valueOf(2 + random.nextInt(4)), day(start)});
            }
            for (int s = 0; s < 5 + random.nextInt(20); s++) {
                shifts.add(new String[] {day(today.plusDays(random.nextInt(40) - 10)), "T1", "night", staff()});
            }
        }

        private static String day(LocalDate d) {
            return d.toString();
        }

        /** A day between the start of the history and today. */
        private LocalDate date() {
            return start.plusDays(random.nextInt((int) (today.toEpochDay() - start.toEpochDay()) + 1));
        }

        private String staff() {
            return spells.get(random.nextInt(spells.size()))[0];
        }

        private void addSpell(String id) {
            LocalDate from = date().minusMonths(random.nextInt(12));
            boolean ends = random.nextInt(4) == 0;
            String role = ROLES[random.nextInt(ROLES.length)];
            spells.add(new String[] {id, TEAMS[random.nextInt(TEAMS.length)], role, random.nextInt(5) == 0 ? "agency" : "permanent",
                random.nextBoolean() ? "1" : "0.6", day(from), ends ? day(from.plusDays(30 + random.nextInt(400))) : "",
                ends ? (random.nextInt(3) == 0 ? "internal_move" : "resigned") : "", role.equals("team_manager") ? "N" : "Y"});
        }

        private void addAllocation() {
            LocalDate from = date();
            allocations.add(new String[] {"A" + next++, "C" + random.nextInt(8), staff(), CASE_TYPES[random.nextInt(CASE_TYPES.length)],
                day(from), random.nextInt(3) == 0 ? day(from.plusDays(random.nextInt(200))) : ""});
        }

        private void addReferral() {
            LocalDate from = date();
            referrals.add(new String[] {"R" + next++, "C" + random.nextInt(30), TEAMS[random.nextInt(TEAMS.length)], day(from),
                random.nextBoolean() ? day(from.plusDays(random.nextInt(20))) : ""});
        }

        private void addCareLeaver(String child) {
            List<String> advisers = spells.stream().filter(s -> s[2].equals("personal_adviser")).map(s -> s[0]).toList();
            String[] eligibility = {"eligible", "relevant", "former_relevant", "qualifying"};
            leavers.removeIf(l -> l[0].equals(child));
            leavers.add(new String[] {child, day(today.minusYears(17 + random.nextInt(5))), eligibility[random.nextInt(eligibility.length)],
                advisers.isEmpty() || random.nextInt(4) == 0 ? "" : advisers.get(random.nextInt(advisers.size())),
                random.nextInt(8) == 0 ? "died" : "yes", random.nextBoolean() ? day(today.minusDays(random.nextInt(120))) : ""});
        }

        /** Changes one dataset at random (new, changed or ended records); answers its name. */
        String mutate() {
            switch (random.nextInt(7)) {
                case 0 -> {
                    String[] s = spells.get(random.nextInt(spells.size()));
                    if (s[6].isEmpty()) {
                        s[6] = day(LocalDate.parse(s[5]).plusDays(random.nextInt(300)));
                        s[7] = "resigned";
                    } else {
                        s[4] = s[4].equals("1") ? "0.6" : "1";
                    }
                    if (random.nextBoolean()) {
                        addSpell("S" + next++);
                    }
                    return "staff";
                }
                case 1 -> {
                    for (int i = 0; i < 1 + random.nextInt(4); i++) {
                        addAllocation();
                    }
                    String[] a = allocations.get(random.nextInt(allocations.size()));
                    a[2] = staff(); // the case moves to another worker
                    return "allocations";
                }
                case 2 -> {
                    addReferral();
                    referrals.get(random.nextInt(referrals.size()))[4] = day(today);
                    return "referrals";
                }
                case 3 -> {
                    inCare.get(random.nextInt(inCare.size()))[4] = day(date());
                    return "children_in_care";
                }
                case 4 -> {
                    addCareLeaver("L" + random.nextInt(6));
                    return "care_leavers";
                }
                case 5 -> {
                    training.put(staff() + "|induction", day(date()));
                    return "training";
                }
                default -> {
                    establishment.add(new String[] {TEAMS[random.nextInt(TEAMS.length)], "social_worker",
                        String.valueOf(random.nextInt(6)), day(date())});
                    return "establishment";
                }
            }
        }

        /** A batch of live events of every kind, each consistent with the records so far. */
        String events(int count) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < count; i++) {
                String head = "{\"occurred_at\":\"" + today + "T09:00:00Z\",\"event_id\":\"p" + events++ + "\",";
                switch (random.nextInt(6)) {
                    case 0 -> {
                        addAllocation();
                        String[] a = allocations.get(allocations.size() - 1);
                        a[5] = "";
                        out.append(head).append("\"type\":\"allocation_started\",\"allocation_id\":\"").append(a[0]).append("\",\"child_id\":\"")
                                .append(a[1]).append("\",\"staff_id\":\"").append(a[2]).append("\",\"case_type\":\"").append(a[3])
                                .append("\",\"start_date\":\"").append(a[4]).append("\"}\n");
                    }
                    case 1 -> {
                        String[] a = allocations.get(random.nextInt(allocations.size()));
                        a[5] = day(LocalDate.parse(a[4]).plusDays(random.nextInt(100)));
                        out.append(head).append("\"type\":\"allocation_ended\",\"allocation_id\":\"").append(a[0]).append("\",\"end_date\":\"")
                                .append(a[5]).append("\",\"change_reason\":\"LEFTRL\"}\n");
                    }
                    case 2 -> {
                        String who = staff();
                        String when = day(date());
                        supervision.put(who + "|" + when, "reflective");
                        out.append(head).append("\"type\":\"supervision_recorded\",\"staff_id\":\"").append(who)
                                .append("\",\"supervision_date\":\"").append(when).append("\",\"kind\":\"reflective\"}\n");
                    }
                    case 3 -> {
                        addReferral();
                        String[] r = referrals.get(referrals.size() - 1);
                        r[4] = "";
                        out.append(head).append("\"type\":\"referral_received\",\"referral_id\":\"").append(r[0]).append("\",\"child_id\":\"")
                                .append(r[1]).append("\",\"team_id\":\"").append(r[2]).append("\",\"referral_date\":\"").append(r[3])
                                .append("\"}\n");
                    }
                    case 4 -> {
                        String[] s = spells.get(random.nextInt(spells.size()));
                        if (!s[6].isEmpty()) {
                            continue;
                        }
                        s[6] = day(LocalDate.parse(s[5]).plusDays(random.nextInt(200)));
                        s[7] = "resigned";
                        out.append(head).append("\"type\":\"staff_left\",\"staff_id\":\"").append(s[0]).append("\",\"team_id\":\"").append(s[1])
                                .append("\",\"start_date\":\"").append(s[5]).append("\",\"end_date\":\"").append(s[6])
                                .append("\",\"leaving_reason\":\"resigned\"}\n");
                    }
                    default -> {
                        addCareLeaver("L" + random.nextInt(6));
                        String[] l = leavers.get(leavers.size() - 1);
                        out.append(head).append("\"type\":\"care_leaver_updated\",\"child_id\":\"").append(l[0]).append("\",\"date_of_birth\":\"")
                                .append(l[1]).append("\",\"eligibility\":\"").append(l[2]).append("\"")
                                .append(l[3].isEmpty() ? "" : ",\"pa_staff_id\":\"" + l[3] + "\"").append(",\"in_touch\":\"").append(l[4]).append("\"")
                                .append(l[5].isEmpty() ? "" : ",\"latest_contact_date\":\"" + l[5] + "\"").append("}\n");
                    }
                }
            }
            return out.isEmpty() ? events(1) : out.toString();
        }

        String csv(String dataset) {
            return switch (dataset) {
                case "teams" -> "team_id,team_name,service,team_type\nT1,Front door,Front Door,assessment\n"
                        + "T2,Safeguarding North,Safeguarding,safeguarding\nT3,Leaving care,Care Leavers,care_leavers\n"
                        + "T4,Safeguarding South,Safeguarding,safeguarding\nT5,Children in care,Children in Care,children_in_care\n";
                case "staff" -> "staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding,qualified_date,"
                        + "agency_name,agency_hourly_rate\n" + spells.stream().map(s -> String.join(",", s[0], s[1], s[2], s[3], s[4], s[5], s[6],
                                s[7], s[8], "2015-07-01", s[3].equals("agency") ? "Hays" : "", s[3].equals("agency") ? "52" : "") + "\n")
                        .collect(Collectors.joining());
                case "establishment" -> "team_id,role,funded_fte,effective_from\n" + rows(dedupe(establishment, 0, 1, 3));
                case "allocations" -> "allocation_id,child_id,staff_id,case_type,start_date,end_date,change_reason\n"
                        + allocations.stream().map(a -> String.join(",", a) + ",\n").collect(Collectors.joining());
                case "referrals" -> "referral_id,child_id,team_id,referral_date,allocated_date\n" + rows(referrals);
                case "children_in_care" -> "child_id,date_of_birth,period_start,period_end,latest_assessment_date\n"
                        + rows(dedupe(inCare, 0, 2));
                case "care_leavers" -> "child_id,date_of_birth,eligibility,pa_staff_id,in_touch,latest_contact_date\n" + rows(leavers);
                case "supervision" -> "staff_id,supervision_date,kind\n" + supervision.entrySet().stream()
                        .map(e -> e.getKey().replace('|', ',') + "," + e.getValue() + "\n").collect(Collectors.joining());
                case "training" -> "staff_id,course,completed_date\n" + training.entrySet().stream()
                        .map(e -> e.getKey().replace('|', ',') + "," + e.getValue() + "\n").collect(Collectors.joining());
                case "absence" -> "staff_id,start_date,end_date,reason\n" + rows(dedupe(absence, 0, 1));
                case "shift_requirements" -> "team_id,shift,required_staff\nT1,night,2\n";
                case "shifts" -> "shift_date,team_id,shift,staff_id\n" + rows(dedupe(shifts, 0, 1, 2, 3));
                default -> throw new IllegalArgumentException(dataset);
            };
        }

        /** The last row of each key: a file may not hold a key twice. */
        private static List<String[]> dedupe(List<String[]> rows, int... key) {
            Map<String, String[]> byKey = new TreeMap<>();
            for (String[] r : rows) {
                StringBuilder k = new StringBuilder();
                for (int i : key) {
                    k.append(r[i]).append('|');
                }
                byKey.put(k.toString(), r);
            }
            return new ArrayList<>(byKey.values());
        }

        private static String rows(List<String[]> rows) {
            return rows.stream().map(r -> String.join(",", r) + "\n").collect(Collectors.joining());
        }
    }
}
