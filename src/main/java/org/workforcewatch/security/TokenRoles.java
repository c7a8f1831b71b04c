package org.workforcewatch.security;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import reactor.core.publisher.Mono;

/**
 * Reads roles and teams from a token of the council's identity provider: the roles claim (a list, or a
 * string separated by spaces or commas; a dotted path such as {@code realm_access.roles} reaches into an
 * object) holds role ids or the provider's own names mapped in {@code workforce.security.jwt.role-names};
 * the teams claim holds a team manager's team ids. A token without a known role gets no access.
 */
final class TokenRoles implements Converter<Jwt, Mono<AbstractAuthenticationToken>> {

    private final SecuritySettings.Jwt settings;

    TokenRoles(SecuritySettings.Jwt settings) {
        this.settings = settings;
    }

    @Override
    public Mono<AbstractAuthenticationToken> convert(Jwt jwt) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        for (String value : values(jwt.getClaims(), settings.rolesClaim())) {
            for (Role role : Role.values()) {
                List<String> names = settings.roleNames().getOrDefault(role.id(), List.of());
                if (role.id().equalsIgnoreCase(value) || names.contains(value)) {
                    authorities.add(new SimpleGrantedAuthority(role.authority()));
                }
            }
        }
        for (String team : values(jwt.getClaims(), settings.teamsClaim())) {
            authorities.add(new SimpleGrantedAuthority(Caller.TEAM_PREFIX + team));
        }
        String name = jwt.getClaimAsString(settings.nameClaim());
        return Mono.just(new JwtAuthenticationToken(jwt, authorities, name == null || name.isBlank() ? jwt.getSubject() : name));
    }

    /** The strings at a dotted claim path: a list's items, or a string's words. */
    static List<String> values(Map<String, Object> claims, String path) {
        Object at = claims;
        for (String part : path.split("\\.")) {
            if (!(at instanceof Map<?, ?> map)) {
                return List.of();
            }
            at = map.get(part);
        }
        if (at instanceof Collection<?> list) {
            return list.stream().map(String::valueOf).map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
        if (at instanceof String s) {
            return Arrays.stream(s.split("[\\s,]+")).filter(v -> !v.isEmpty()).toList();
        }
        return List.of();
    }
}
