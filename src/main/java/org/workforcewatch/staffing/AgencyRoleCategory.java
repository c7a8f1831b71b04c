package org.workforcewatch.staffing;

import java.util.Arrays;
import java.util.List;

/**
 * The five role categories of the Department's quarterly agency return, as the agency register records them and the
 * price caps are set. Three share their id with a staff role, and take it from {@link StaffRole}; a senior social
 * worker and an independent reviewing officer or child protection chair are categories of the return only.
 */
public enum AgencyRoleCategory {
    SOCIAL_WORKER(StaffRole.SOCIAL_WORKER.id()),
    SENIOR_SOCIAL_WORKER("senior_social_worker"),
    ADVANCED_PRACTITIONER(StaffRole.ADVANCED_PRACTITIONER.id()),
    TEAM_MANAGER(StaffRole.TEAM_MANAGER.id()),
    IRO_CP_CHAIR("iro_cp_chair");

    private final String id;

    AgencyRoleCategory(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Every id, in the return's order. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(AgencyRoleCategory::id).toList();
    }
}
