package org.workforcewatch.security;

import java.util.Arrays;
import java.util.Optional;

/**
 * Who may do what. Every signed-in role sees the aggregate figures; the rest is granted by role:
 * <ul>
 * <li>{@code viewer}: aggregates only (indicators, risks, charts of teams, forecasts, the board pack);</li>
 * <li>{@code team_manager}: a viewer who also sees the workers of their own teams (never another team's);</li>
 * <li>{@code head_of_service}: sees the workers of every team, changes thresholds and scenarios;</li>
 * <li>{@code hr}: sees workers with agency detail (agency names and rates), imports data, changes scenarios;</li>
 * <li>{@code admin}: everything, and reads and exports the audit.</li>
 * </ul>
 */
public enum Role {
    ADMIN, HEAD_OF_SERVICE, HR, TEAM_MANAGER, VIEWER;

    /** The name in configuration, tokens and the API: lower case, as {@code head_of_service}. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The Spring Security authority, {@code ROLE_head_of_service}. */
    String authority() {
        return "ROLE_" + id();
    }

    static Optional<Role> of(String id) {
        return Arrays.stream(values()).filter(r -> r.id().equalsIgnoreCase(id.strip())).findFirst();
    }
}
