package org.workforcewatch.staffing;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The roles of the staff file (docs/DATA-FORMATS.md), the one place the role set is written down. Each role
 * says whether it counts as a children and family social worker (CFSW, the Department's workforce
 * statistics), whether it normally holds cases, and whether a scenario may recruit it. The SQL vocabulary
 * (sql/V11__vocabulary.sql: {@code is_cfsw}, {@code is_personal_adviser}, {@code is_asye}) reads the same
 * rule; a test holds the two together.
 */
public enum StaffRole {
    SOCIAL_WORKER("social_worker", "Social worker", true, true),
    SENIOR_PRACTITIONER("senior_practitioner", "Senior practitioner", true, true),
    ADVANCED_PRACTITIONER("advanced_practitioner", "Advanced practitioner", true, true),
    TEAM_MANAGER("team_manager", "Team manager", true, false),
    SERVICE_MANAGER("service_manager", "Service manager", true, false),
    PERSONAL_ADVISER("personal_adviser", "Personal adviser", false, false),
    ASYE("asye", "Newly qualified (ASYE)", true, true),
    FAMILY_SUPPORT("family_support", "Family support", false, false),
    OTHER("other", "Other", false, false);

    private final String id;
    private final String label;
    private final boolean cfsw;
    private final boolean caseHoldingRole;

    StaffRole(String id, String label, boolean cfsw, boolean caseHoldingRole) {
        this.id = id;
        this.label = label;
        this.cfsw = cfsw;
        this.caseHoldingRole = caseHoldingRole;
    }

    /** The id as files, the database and the API write it. */
    public String id() {
        return id;
    }

    public String label() {
        return label;
    }

    /** A children and family social worker: every role except personal adviser, family support and other. */
    public boolean cfsw() {
        return cfsw;
    }

    /** A practitioner role that holds cases when case-holding (not a manager, adviser or support worker). */
    public boolean caseHoldingRole() {
        return caseHoldingRole;
    }

    /** The roles the workforce forecast follows: CFSW and personal advisers. */
    public boolean followedByForecast() {
        return cfsw || this == PERSONAL_ADVISER;
    }

    /** Every role id, in the contract's order. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(StaffRole::id).toList();
    }

    /** The ids of the roles that pass the test. */
    public static List<String> ids(Predicate<StaffRole> which) {
        return Arrays.stream(values()).filter(which).map(StaffRole::id).toList();
    }

    public static Optional<StaffRole> byId(String id) {
        return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst();
    }

    /** Whether this id is the role. */
    public boolean is(String roleId) {
        return id.equals(roleId);
    }

    /** This role as an SQL literal, for statements built from the role set. */
    public String sql() {
        return "'" + id + "'";
    }

    /** The roles that pass the test as an SQL list, e.g. {@code ('social_worker', 'asye')}. */
    public static String sqlList(Predicate<StaffRole> which) {
        return Arrays.stream(values()).filter(which).map(StaffRole::sql).collect(Collectors.joining(", ", "(", ")"));
    }
}
