package org.workforcewatch.ingest.cscapi;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A synthetic authority's children as children's social care API records and, for the same children, the native CSV
 * files the documented mapping gives (docs/DATA-FORMATS.md, "Children's social care API records"): allocations,
 * referrals, children_in_care and care_leavers, with the HR teams and staff files both loads share. Children in need,
 * in care (contiguous placements and gaps), care leavers with a personal adviser, referrals awaiting a worker, closed
 * episodes, changes of worker and assessments. The same shape, day and seed always give the same files.
 */
final class CscAuthority {

    /** Sizes of authority. */
    enum Shape {
        SMALL(2, 4, 60), LARGE(5, 7, 400);

        final int teams;
        final int workersPerTeam;
        final int children;

        Shape(int teams, int workersPerTeam, int children) {
            this.teams = teams;
            this.workersPerTeam = workersPerTeam;
            this.children = children;
        }
    }

    /** The team a referral goes to when its episode has no worker yet (workforce.csc-api.intake-team in the test). */
    static final String INTAKE = "T01";
    static final String LEAVING_CARE = "TCL";

    final Map<String, String> hr = new LinkedHashMap<>();
    final Map<String, String> csv = new LinkedHashMap<>();
    final String records;
    final int recordCount;

    private record Worker(String id, String team, LocalDate start, LocalDate end) {
    }

    private record Placement(String id, LocalDate start, LocalDate end) {
    }

    private static final class Episode {
        String id;
        LocalDate referral;
        LocalDate closure;
        final List<Worker> workers = new ArrayList<>();
        final List<Placement> placements = new ArrayList<>();
        final List<LocalDate[]> assessments = new ArrayList<>();
        LocalDate contact;
        boolean careLeaver;
    }

    CscAuthority(Shape shape, LocalDate today, long seed) {
        Random random = new Random(seed);
        StringBuilder teams = new StringBuilder("team_id,team_name,service,team_type,parent_team_id\n");
        StringBuilder staff = new StringBuilder("staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,"
                + "case_holding,qualified_date\n");
        List<List<String>> workers = new ArrayList<>();
        for (int t = 1; t <= shape.teams; t++) {
            String team = "T0" + t;
            teams.append(team).append(",Team ").append(t).append(",").append(t == 1 ? "Front Door" : "Safeguarding").append(",")
                    .append(t == 1 ? "assessment" : "safeguarding").append(",\n");
            List<String> ids = new ArrayList<>();
            for (int w = 0; w < shape.workersPerTeam; w++) {
                String id = "S" + t + "_" + w;
                ids.add(id);
                staff.append(id).append(',').append(team).append(',').append(w == 0 ? "asye" : "social_worker").append(',')
                        .append(w % 4 == 3 ? "agency" : "permanent").append(',').append(w % 3 == 2 ? "0.8" : "1")
                        .append(",2018-01-01,,,Y,2012-07-01\n");
            }
            workers.add(ids);
        }
        teams.append(LEAVING_CARE).append(",Leaving Care,Children in Care,care_leavers,\n");
        List<String> advisers = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            advisers.add("PA" + w);
            staff.append("PA").append(w).append(',').append(LEAVING_CARE).append(",personal_adviser,permanent,1,2018-01-01,,,Y,\n");
        }
        hr.put("teams", teams.toString());
        hr.put("staff", staff.toString());

        StringBuilder json = new StringBuilder("[");
        StringBuilder allocations = new StringBuilder("allocation_id,child_id,staff_id,case_type,start_date,end_date,change_reason\n");
        StringBuilder referrals = new StringBuilder("referral_id,child_id,team_id,referral_date,allocated_date\n");
        StringBuilder care = new StringBuilder("child_id,date_of_birth,period_start,period_end,latest_assessment_date\n");
        StringBuilder leavers = new StringBuilder("child_id,date_of_birth,eligibility,pa_staff_id,pa_allocated_date,"
                + "latest_contact_date\n");
        int allocationIds = 0;
        for (int c = 0; c < shape.children; c++) {
            String child = "C" + c;
            int kind = random.nextInt(10); // 0-5 in need, 6-8 in care, 9 care leaver
            boolean leaver = kind == 9;
            LocalDate birth = today.minusDays(leaver ? 16 * 365 + random.nextInt(5 * 365) : 365 + random.nextInt(15 * 365));
            LocalDate birthMonth = birth.withDayOfMonth(1);
            List<Episode> episodes = new ArrayList<>();
            if (random.nextInt(4) == 0) {
                Episode old = episode(random, "E0", today.minusDays(900 + random.nextInt(300)), workers, true, false, today);
                episodes.add(old);
            }
            Episode current = episode(random, "E1", today.minusDays(leaver ? 700 : 3 + random.nextInt(500)), workers,
                    !leaver && random.nextInt(6) == 0, leaver, today);
            if (leaver) {
                current.workers.add(new Worker(advisers.get(random.nextInt(advisers.size())), LEAVING_CARE,
                        current.workers.isEmpty() ? current.referral.plusDays(5)
                                : current.workers.get(current.workers.size() - 1).end().plusDays(1), null));
                current.careLeaver = true;
                current.contact = today.minusDays(1 + random.nextInt(120));
            }
            if (kind >= 6 && !current.workers.isEmpty()) {
                LocalDate start = current.workers.get(0).start().plusDays(random.nextInt(20));
                int n = 1 + random.nextInt(3);
                for (int p = 0; p < n && !start.isAfter(today); p++) {
                    boolean last = p == n - 1;
                    LocalDate end = last && !leaver && random.nextInt(10) < 7 ? null
                            : min(start.plusDays(30 + random.nextInt(200)), today);
                    current.placements.add(new Placement("L" + p, start, end));
                    if (end == null) {
                        break;
                    }
                    start = end.plusDays(random.nextInt(3) == 0 ? 20 + random.nextInt(40) : 1);
                }
            }
            episodes.add(current);

            // the API record
            json.append(c == 0 ? "" : ",\n").append("{\"la_child_id\": \"").append(child).append("\", \"mis_child_id\": \"M")
                    .append(c).append("\", \"purge\": false, \"child_details\": {\"first_name\": \"Name").append(c)
                    .append("\", \"unique_pupil_number\": \"UPN").append(c).append("\", \"postcode\": \"ZZ9 ").append(c % 10)
                    .append("ZZ\", \"date_of_birth\": \"").append(birth).append("\", \"sex\": \"").append(c % 2 == 0 ? "F" : "M")
                    .append("\"}, \"social_care_episodes\": [");
            for (int e = 0; e < episodes.size(); e++) {
                Episode ep = episodes.get(e);
                json.append(e == 0 ? "" : ", ").append("{\"social_care_episode_id\": \"").append(ep.id)
                        .append("\", \"referral_date\": \"").append(ep.referral).append("\", \"closure_date\": ")
                        .append(quoted(ep.closure)).append(", \"care_worker_details\": [");
                for (int w = 0; w < ep.workers.size(); w++) {
                    Worker wk = ep.workers.get(w);
                    json.append(w == 0 ? "" : ", ").append("{\"worker_id\": \"").append(wk.id()).append("\", \"start_date\": \"")
                            .append(wk.start()).append("\", \"end_date\": ").append(quoted(wk.end())).append('}');
                }
                json.append("], \"child_and_family_assessments\": [");
                for (int a = 0; a < ep.assessments.size(); a++) {
                    json.append(a == 0 ? "" : ", ").append("{\"child_and_family_assessment_id\": \"A").append(a)
                            .append("\", \"start_date\": \"").append(ep.assessments.get(a)[0]).append("\", \"authorisation_date\": ")
                            .append(quoted(ep.assessments.get(a)[1])).append(", \"factors\": [\"3A\"]}");
                }
                json.append("], \"child_looked_after_placements\": [");
                for (int p = 0; p < ep.placements.size(); p++) {
                    Placement pl = ep.placements.get(p);
                    json.append(p == 0 ? "" : ", ").append("{\"child_looked_after_placement_id\": \"").append(pl.id())
                            .append("\", \"start_date\": \"").append(pl.start()).append("\", \"postcode\": \"ZZ1 1ZZ\", \"end_date\": ")
                            .append(quoted(pl.end())).append('}');
                }
                json.append(']');
                if (ep.careLeaver) {
                    json.append(", \"care_leavers\": {\"contact_date\": \"").append(ep.contact)
                            .append("\", \"activity\": \"F2\", \"accommodation\": \"D\"}");
                }
                json.append('}');
            }
            json.append("]}");

            // the same children as the native files, by the documented mapping
            LocalDate latestAuthorised = null;
            for (Episode ep : episodes) {
                for (LocalDate[] a : ep.assessments) {
                    if (a[1] != null && (latestAuthorised == null || a[1].isAfter(latestAuthorised))) {
                        latestAuthorised = a[1];
                    }
                }
            }
            boolean openPlacement = false;
            List<Placement> placements = new ArrayList<>();
            episodes.forEach(ep -> placements.addAll(ep.placements));
            for (Episode ep : episodes) {
                openPlacement |= ep.placements.stream().anyMatch(p -> p.end() == null);
                for (int w = 0; w < ep.workers.size(); w++) {
                    Worker wk = ep.workers.get(w);
                    // the case type from what was open on the day the worker took the case (docs/DATA-FORMATS.md)
                    LocalDate day = wk.start();
                    boolean inCare = placements.stream().anyMatch(p -> !p.start().isAfter(day) && (p.end() == null || !p.end().isBefore(day)));
                    boolean careLater = placements.stream().anyMatch(p -> p.start().isAfter(day));
                    boolean assessing = ep.assessments.stream().anyMatch(a -> a[0] != null && !a[0].isAfter(day)
                            && (a[1] == null || !a[1].isBefore(day)));
                    String caseType = inCare ? "cla" : ep.careLeaver && !careLater ? "care_leaver" : assessing ? "assessment" : "cin";
                    // a worker still open when the episode closed held the case until then
                    LocalDate end = wk.end() == null && ep.closure != null && !ep.closure.isBefore(day) ? ep.closure : wk.end();
                    allocations.append("A").append(allocationIds++).append(',').append(child).append(',').append(wk.id()).append(',')
                            .append(caseType).append(',').append(wk.start()).append(',').append(text(end)).append(',')
                            .append(w > 0 && !ep.workers.get(w - 1).id().equals(wk.id()) ? "OTHERS" : "").append('\n');
                }
                Worker first = ep.workers.isEmpty() ? null : ep.workers.get(0);
                LocalDate allocated = first == null ? ep.closure : ep.closure == null ? first.start() : min(first.start(), ep.closure);
                referrals.append("R").append(child).append(ep.id).append(',').append(child).append(',')
                        .append(first == null ? INTAKE : first.team()).append(',').append(ep.referral).append(',')
                        .append(text(allocated)).append('\n');
            }
            List<Placement> all = new ArrayList<>();
            episodes.forEach(ep -> all.addAll(ep.placements));
            all.sort(java.util.Comparator.comparing(Placement::start));
            LocalDate periodStart = null;
            LocalDate periodEnd = null;
            for (int p = 0; p <= all.size(); p++) {
                Placement pl = p < all.size() ? all.get(p) : null;
                if (periodStart != null && (pl == null || periodEnd != null && pl.start().isAfter(periodEnd.plusDays(1)))) {
                    care.append(child).append(',').append(birthMonth).append(',').append(periodStart).append(',')
                            .append(text(periodEnd)).append(',').append(text(latestBy(episodes, periodEnd))).append('\n');
                    periodStart = null;
                }
                if (pl != null) {
                    if (periodStart == null) {
                        periodStart = pl.start();
                    }
                    periodEnd = pl.end();
                }
            }
            for (Episode ep : episodes) {
                if (ep.careLeaver) {
                    Worker pa = ep.workers.stream().filter(w -> w.end() == null).reduce((a, b) -> b).orElse(null);
                    String eligibility = openPlacement ? "eligible"
                            : birthMonth.isAfter(today.minusYears(18)) ? "relevant" : "former_relevant";
                    leavers.append(child).append(',').append(birthMonth).append(',').append(eligibility).append(',')
                            .append(pa == null ? "" : pa.id()).append(',').append(pa == null ? "" : pa.start()).append(',')
                            .append(ep.contact).append('\n');
                }
            }
        }
        records = json.append("]").toString();
        recordCount = shape.children;
        csv.put("allocations", allocations.toString());
        csv.put("referrals", referrals.toString());
        csv.put("children_in_care", care.toString());
        csv.put("care_leavers", leavers.toString());
    }

    /** The latest authorisation of the child's assessments on or before the period's end (any, when still open). */
    private static LocalDate latestBy(List<Episode> episodes, LocalDate end) {
        LocalDate latest = null;
        for (Episode ep : episodes) {
            for (LocalDate[] a : ep.assessments) {
                if (a[1] != null && (end == null || !a[1].isAfter(end)) && (latest == null || a[1].isAfter(latest))) {
                    latest = a[1];
                }
            }
        }
        return latest;
    }

    /** An episode: a referral, then workers one after another in one team (none yet now and then), and assessments. */
    private static Episode episode(Random random, String id, LocalDate referral, List<List<String>> teams, boolean closed,
                                   boolean leaver, LocalDate today) {
        Episode ep = new Episode();
        ep.id = id;
        ep.referral = referral;
        boolean waiting = !leaver && !closed && referral.isAfter(today.minusDays(20)) && random.nextInt(3) == 0;
        if (waiting) {
            return ep;
        }
        int team = random.nextInt(teams.size());
        List<String> ids = teams.get(team);
        LocalDate start = min(referral.plusDays(random.nextInt(10)), today);
        int n = 1 + random.nextInt(4);
        String previous = null;
        for (int w = 0; w < n; w++) {
            String worker;
            do {
                worker = ids.get(random.nextInt(ids.size()));
            } while (worker.equals(previous));
            previous = worker;
            boolean last = w == n - 1;
            LocalDate end = min(start.plusDays(20 + random.nextInt(150)), today);
            if (last && !closed && !leaver) {
                end = null;
            }
            ep.workers.add(new Worker(worker, "T0" + (team + 1), start, end));
            if (end == null || !end.isBefore(today)) {
                break;
            }
            start = end.plusDays(1);
        }
        Worker lastWorker = ep.workers.get(ep.workers.size() - 1);
        if (closed) {
            ep.closure = lastWorker.end() == null ? null : lastWorker.end();
        }
        LocalDate assessed = ep.workers.get(0).start();
        LocalDate authorised = assessed.plusDays(10 + random.nextInt(60));
        ep.assessments.add(new LocalDate[] {assessed, authorised.isAfter(today) ? null : authorised});
        return ep;
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }

    private static String quoted(LocalDate date) {
        return date == null ? "null" : "\"" + date + "\"";
    }

    private static String text(LocalDate date) {
        return date == null ? "" : date.toString();
    }
}
