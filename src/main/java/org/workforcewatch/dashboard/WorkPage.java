package org.workforcewatch.dashboard;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.workforcewatch.security.Caller;
import org.workforcewatch.security.Role;

/**
 * The dashboard's pages for doing work rather than reading figures, each at its own address and for the roles that
 * may use it: the same roles the API grants the page's actions to, so a page never offers what its API refuses.
 * The page of each is the dashboard's one page; its script {@code /pages/{name}.js} draws it.
 */
public enum WorkPage {
    IMPORTS("imports", "Imports", EnumSet.of(Role.ADMIN, Role.HR)),
    DATA_QUALITY("data-quality", "Data quality", EnumSet.of(Role.ADMIN, Role.HR, Role.HEAD_OF_SERVICE)),
    THRESHOLDS("thresholds", "Thresholds", EnumSet.of(Role.ADMIN, Role.HEAD_OF_SERVICE)),
    SCENARIOS("scenarios", "Scenarios", EnumSet.of(Role.ADMIN, Role.HEAD_OF_SERVICE, Role.HR)),
    AGENCY("agency", "Agency register", EnumSet.of(Role.ADMIN, Role.HR)),
    REPORTS("reports", "Reports", EnumSet.allOf(Role.class));

    private final String name;
    private final String title;
    private final Set<Role> roles;

    WorkPage(String name, String title, Set<Role> roles) {
        this.name = name;
        this.title = title;
        this.roles = roles;
    }

    /** The address, as {@code /imports}. */
    public String path() {
        return "/" + name;
    }

    public String title() {
        return title;
    }

    /** Whether the caller holds a role the page is for. */
    public boolean allows(Caller caller) {
        return roles.stream().anyMatch(caller::has);
    }

    /** The roles the page is for, as the API names them. */
    public List<String> roles() {
        return roles.stream().map(Role::id).toList();
    }

    public static Optional<WorkPage> at(String path) {
        return Arrays.stream(values()).filter(p -> p.path().equals(path)).findFirst();
    }

    /** Every page's address, for the security rules. */
    public static String[] paths() {
        return Arrays.stream(values()).map(WorkPage::path).toArray(String[]::new);
    }

    /** The pages the caller may use, in the navigation's order, as /api/me lists them. */
    public static List<java.util.Map<String, String>> forCaller(Caller caller) {
        return Arrays.stream(values()).filter(p -> p.allows(caller))
                .map(p -> java.util.Map.of("path", p.path(), "title", p.title)).toList();
    }
}
