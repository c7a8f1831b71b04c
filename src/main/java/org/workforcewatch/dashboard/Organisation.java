package org.workforcewatch.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.workforcewatch.demo.DemoIdentity;
import org.workforcewatch.demo.DemoInUse;
import org.workforcewatch.indicators.BenchmarkAuthority;
import reactor.core.publisher.Mono;

/**
 * What the dashboard navigates: the authority (named by {@code workforce.authority.name}, else as the Department's
 * benchmarks name its area code, or as the synthetic demo while the demo's data is the only data), its services and
 * their teams.
 */
@Component
public class Organisation {

    public record Team(String teamId, String teamName, String teamType) {
    }

    public record Service(String service, List<Team> teams) {
    }

    /**
     * {@code name} and {@code regionName} are null where neither the settings nor the benchmarks name them. With the
     * demo's data alone, {@code synthetic} is true, {@code name} and {@code areaCode} are the demo's and {@code notice}
     * says so; {@code comparedWith} is the authority whose published figures are the benchmarks (for a real authority,
     * its own).
     */
    public record Authority(String name, String areaCode, String regionCode, String regionName, List<Service> services,
                            boolean synthetic, Compared comparedWith, String notice) {
    }

    /** The authority whose published figures the benchmarks are: its area code, and its name where they give one. */
    public record Compared(String areaCode, String name) {
    }

    private static final String TEAMS = """
            SELECT team_id, team_name, service, team_type
            FROM teams
            ORDER BY min(team_id) OVER (PARTITION BY service), service, team_id
            """;

    private static final String AREA_NAME = """
            SELECT area_name FROM benchmarks
            WHERE area_code = :code
            ORDER BY year DESC
            LIMIT 1
            """;

    private final DatabaseClient db;
    private final String areaCode;
    private final String regionCode;
    private final String configuredName;
    private final DemoInUse demo;

    /** The codes the benchmarks use for this authority and its region ({@code workforce.authority}), and its name if set. */
    Organisation(DatabaseClient db, BenchmarkAuthority authority, DemoInUse demo,
                 @Value("${workforce.authority.name:}") String configuredName) {
        this.db = db;
        this.demo = demo;
        this.areaCode = authority.areaCode();
        this.regionCode = authority.regionCode();
        this.configuredName = configuredName == null || configuredName.isBlank() ? null : configuredName.strip();
    }

    /** Services in the order of their first team, teams by id. */
    public Mono<Authority> authority() {
        Mono<List<Service>> services = db.sql(TEAMS).map(r -> Map.entry(r.get("service", String.class),
                        new Team(r.get("team_id", String.class), r.get("team_name", String.class), r.get("team_type", String.class))))
                .all()
                .collect(LinkedHashMap<String, List<Team>>::new, (m, e) -> m.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()))
                .map(m -> m.entrySet().stream().map(e -> new Service(e.getKey(), List.copyOf(e.getValue()))).toList());
        return Mono.zip(areaName(areaCode), areaName(regionCode), services, demo.synthetic())
                .map(t -> {
                    String published = t.getT1().orElse(null);
                    boolean synthetic = t.getT4();
                    return new Authority(synthetic ? DemoIdentity.LABEL : configuredName != null ? configuredName : published,
                            synthetic ? DemoIdentity.CODE : areaCode, regionCode, t.getT2().orElse(null), t.getT3(), synthetic,
                            new Compared(areaCode, published), synthetic ? DemoIdentity.notice(published) : null);
                });
    }

    private Mono<Optional<String>> areaName(String code) {
        return db.sql(AREA_NAME).bind("code", code).map(r -> r.get("area_name", String.class)).one()
                .map(Optional::of).defaultIfEmpty(Optional.empty());
    }

    Mono<Boolean> hasTeam(String teamId) {
        return db.sql("SELECT EXISTS (SELECT 1 FROM teams WHERE team_id = :team) AS known").bind("team", teamId)
                .map(r -> r.get("known", Boolean.class)).one();
    }

    Mono<Boolean> hasService(String service) {
        return db.sql("SELECT EXISTS (SELECT 1 FROM teams WHERE service = :service) AS known").bind("service", service)
                .map(r -> r.get("known", Boolean.class)).one();
    }
}
