package org.workforcewatch.planning;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.workforcewatch.staffing.StaffRole;

/**
 * A named set of changes to the workforce or the demand, projected against the baseline. JSON: {@code {"name", "description",
 * "changes": [{"type": "recruit", ...}, ...]}} with snake_case fields. {@link #problems()} checks what can be checked without the
 * database (unknown teams are checked by the API).
 */
public record Scenario(String name, String description, List<Change> changes) {

    /** The roles a scenario may recruit or fund: those the forecast follows (CFSW and personal advisers). */
    static final Set<String> ROLES = Set.copyOf(StaffRole.ids(StaffRole::followedByForecast));
    static final Set<String> EMPLOYMENTS = Set.of("permanent", "fixed_term", "agency");

    public Scenario {
        changes = changes == null ? List.of() : List.copyOf(changes);
    }

    /** One change in a scenario. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({@JsonSubTypes.Type(value = Recruit.class, name = "recruit"),
            @JsonSubTypes.Type(value = ConvertAgency.class, name = "convert_agency"),
            @JsonSubTypes.Type(value = Establishment.class, name = "establishment"),
            @JsonSubTypes.Type(value = Demand.class, name = "demand"),
            @JsonSubTypes.Type(value = AsyeCohort.class, name = "asye_cohort")})
    public sealed interface Change permits Recruit, ConvertAgency, Establishment, Demand, AsyeCohort {
        /** The first month the change applies. */
        YearMonth from();
    }

    /** Recruit {@code count} people of {@code role} into {@code team} from {@code from}; fte per person (default 1). */
    public record Recruit(String team, String role, int count, double fte, YearMonth from, String employment) implements Change {
        public Recruit {
            employment = employment == null || employment.isBlank() ? "permanent" : employment;
        }

        /** JSON: fte may be omitted (1). */
        @JsonCreator
        static Recruit json(String team, String role, int count, Double fte, YearMonth from, String employment) {
            return new Recruit(team, role, count, fte == null ? 1.0 : fte, from, employment);
        }
    }

    /** End the {@code count} longest-serving agency spells in {@code team} at {@code from} and recruit as many permanent. */
    public record ConvertAgency(String team, int count, YearMonth from) implements Change {
    }

    /** Set the funded FTE of {@code role} in {@code team} from {@code from}. */
    public record Establishment(String team, String role, double fundedFte, YearMonth from) implements Change {
    }

    /** Change the number of children (cases) by {@code percent} from {@code from}: for a team, a service, or (both null) all. */
    public record Demand(double percent, YearMonth from, String team, String service) implements Change {
    }

    /** An ASYE cohort of {@code count} starting in {@code team} at {@code from}, each counting as protectedShare of an FTE for a year. */
    public record AsyeCohort(String team, int count, YearMonth from, Double protectedShare) implements Change {
    }

    /** What is wrong with this scenario, without looking at the database (empty = valid). */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (name == null || name.isBlank()) {
            out.add("name is required");
        } else if (name.length() > 100 || !name.matches("[A-Za-z0-9][A-Za-z0-9 _.-]*")) {
            out.add("name must be 1 to 100 letters, digits, spaces, '_', '.' or '-', starting with a letter or digit");
        }
        for (int i = 0; i < changes.size(); i++) {
            Change c = changes.get(i);
            String at = "changes[" + i + "]: ";
            if (c == null) {
                out.add(at + "missing");
                continue;
            }
            if (c.from() == null) {
                out.add(at + "from is required (yyyy-MM)");
            }
            if (c instanceof Recruit r) {
                    team(out, at, r.team());
                    if (r.role() == null || !ROLES.contains(r.role())) {
                        out.add(at + "role must be one of " + sorted(ROLES) + ", got " + r.role());
                    }
                    if (r.count() < 1 || r.count() > 1000) {
                        out.add(at + "count must be 1 to 1000, got " + r.count());
                    }
                    if (!(r.fte() > 0 && r.fte() <= 1)) {
                        out.add(at + "fte must be above 0 and at most 1, got " + r.fte());
                    }
                    if (!EMPLOYMENTS.contains(r.employment())) {
                        out.add(at + "employment must be one of " + sorted(EMPLOYMENTS) + ", got " + r.employment());
                    }
            } else if (c instanceof ConvertAgency a) {
                    team(out, at, a.team());
                    if (a.count() < 1 || a.count() > 1000) {
                        out.add(at + "count must be 1 to 1000, got " + a.count());
                    }
            } else if (c instanceof Establishment e) {
                    team(out, at, e.team());
                    if (e.role() == null || !ROLES.contains(e.role())) {
                        out.add(at + "role must be one of " + sorted(ROLES) + ", got " + e.role());
                    }
                    if (!(e.fundedFte() >= 0 && e.fundedFte() <= 10000)) {
                        out.add(at + "funded_fte must be 0 to 10000, got " + e.fundedFte());
                    }
            } else if (c instanceof Demand d) {
                    if (!(d.percent() > -100 && d.percent() <= 1000)) {
                        out.add(at + "percent must be above -100 and at most 1000, got " + d.percent());
                    }
                    if (d.team() != null && d.service() != null) {
                        out.add(at + "give team or service, not both");
                    }
            } else if (c instanceof AsyeCohort a) {
                    team(out, at, a.team());
                    if (a.count() < 1 || a.count() > 1000) {
                        out.add(at + "count must be 1 to 1000, got " + a.count());
                    }
                    if (a.protectedShare() != null && !(a.protectedShare() > 0 && a.protectedShare() <= 1)) {
                        out.add(at + "protected_share must be above 0 and at most 1, got " + a.protectedShare());
                    }
            }
        }
        return out;
    }

    private static void team(List<String> out, String at, String team) {
        if (team == null || team.isBlank()) {
            out.add(at + "team is required");
        }
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
