package org.workforcewatch.security;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * The signed-in person (or system) making a request, as the service's rules need it: a name for the audit,
 * roles, and for a team manager the teams they manage. Built from the authorities of any sign-in method
 * (local users, the identity provider's token, the scrape token), so the rules are written once.
 *
 * @param name  who, as the audit records it
 * @param roles the roles granted
 * @param teams the teams a team manager manages (empty for other roles)
 */
public record Caller(String name, Set<Role> roles, Set<String> teams) {

    /** Authorities naming a team a team manager manages: {@code TEAM_T07}. */
    static final String TEAM_PREFIX = "TEAM_";

    public static Caller of(Authentication authentication) {
        return of(authentication.getName(), authentication.getAuthorities());
    }

    static Caller of(String name, Collection<? extends GrantedAuthority> authorities) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        Set<String> teams = new TreeSet<>();
        for (GrantedAuthority a : authorities) {
            String value = a.getAuthority();
            if (value == null) {
                continue;
            }
            if (value.startsWith("ROLE_")) {
                Role.of(value.substring(5)).ifPresent(roles::add);
            } else if (value.startsWith(TEAM_PREFIX)) {
                teams.add(value.substring(TEAM_PREFIX.length()));
            }
        }
        return new Caller(name, Set.copyOf(roles), Set.copyOf(teams));
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** Whether this caller may see the people of a team: their caseloads, supervision, tenure. */
    public boolean seesPeopleOf(String team) {
        return seesAllPeople() || (has(Role.TEAM_MANAGER) && teams.contains(team));
    }

    /** Whether this caller may see which agency supplies a worker and at what rate. */
    public boolean seesAgencyDetail() {
        return has(Role.ADMIN) || has(Role.HR);
    }

    /** Whether this caller may see person-level records of any team (data-quality flags name staff and children). */
    public boolean seesAllPeople() {
        return has(Role.ADMIN) || has(Role.HR) || has(Role.HEAD_OF_SERVICE);
    }
}
