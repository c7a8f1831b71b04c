package org.workforcewatch.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Sign-in settings ({@code workforce.security}).
 *
 * @param users       local users for small installs: a name, a password in Spring Security's encoded form
 *                    ({@code {bcrypt}$2a$...}; {@code {noop}} only for trials), roles, and for a team manager
 *                    the team ids they manage
 * @param demoUsers   users that exist only while the database holds the demo authority this service loaded and
 *                    nothing else ({@code workforce.demo.enabled}, see {@code demo.DemoInUse}); a configured user
 *                    of the same name replaces one
 * @param scrapeToken the bearer token Prometheus sends to {@code /actuator/prometheus}; empty means only an
 *                    admin may read it
 * @param jwt         how the council's identity provider's tokens map to roles and teams, when
 *                    {@code spring.security.oauth2.resourceserver.jwt.*} points at it
 */
@ConfigurationProperties("workforce.security")
public record SecuritySettings(@DefaultValue List<User> users, @DefaultValue List<User> demoUsers,
                               @DefaultValue("") String scrapeToken, @DefaultValue Jwt jwt) {

    /** A local user. */
    public record User(String username, String password, @DefaultValue List<String> roles, @DefaultValue List<String> teams) {
    }

    /**
     * @param nameClaim  the claim naming the person, for the audit
     * @param rolesClaim the claim holding roles (a list or a space- or comma-separated string); a dotted path
     *                   such as {@code realm_access.roles} reaches into an object
     * @param teamsClaim the claim holding a team manager's team ids
     * @param roleNames  the identity provider's group or role names for each role, when they differ from
     *                   the role ids (e.g. {@code hr: [WW-HR, CSC-HR-Business-Partners]})
     */
    public record Jwt(@DefaultValue("preferred_username") String nameClaim, @DefaultValue("roles") String rolesClaim,
                      @DefaultValue("teams") String teamsClaim, @DefaultValue java.util.Map<String, List<String>> roleNames) {
    }
}
