package org.workforcewatch.planning;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.time.Clock;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.workforcewatch.staffing.StaffRole;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Workforce planning scenarios: saved by name, checked change by change (every problem is listed with the
 * change's index and field), and projected side by side with the baseline.
 */
@RestController
class ScenarioController {

    /** One thing wrong with a scenario: which change (null for the scenario itself), which field, and why. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Problem(Integer change, String field, String problem) {
    }

    /** The roles a change may name: those the forecast follows, as {@link Scenario#ROLES}, in the staff file's order. */
    static final List<String> ROLES = StaffRole.ids(StaffRole::followedByForecast);
    static final List<String> EMPLOYMENT = List.of("permanent", "fixed_term", "agency");
    static final int MAX_MONTHS = 24;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9 _.-]{1,100}");
    private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");

    /** Each change type's fields, required or not. */
    private static final Map<String, Map<String, Boolean>> FIELDS = new LinkedHashMap<>();

    static {
        FIELDS.put("recruit", fields("team", true, "role", true, "count", true, "fte", false, "from", true, "employment", false));
        FIELDS.put("convert_agency", fields("team", true, "count", true, "from", true));
        FIELDS.put("establishment", fields("team", true, "role", true, "funded_fte", true, "from", true));
        FIELDS.put("demand", fields("percent", true, "from", true, "team", false, "service", false));
        FIELDS.put("asye_cohort", fields("team", true, "count", true, "from", true, "protected_share", false));
    }

    private final ScenarioStore store;
    private final Forecast forecast;
    private final DatabaseClient db;
    private final JsonMapper json;
    private final Clock clock;

    ScenarioController(ScenarioStore store, Forecast forecast, DatabaseClient db, JsonMapper json, Clock clock) {
        this.store = store;
        this.forecast = forecast;
        this.db = db;
        this.json = json;
        this.clock = clock;
    }

    /** A change type as a form needs it: its fields in order, each required or not. */
    record ChangeType(String type, List<Field> fields) {
    }

    record Field(String name, boolean required) {
    }

    record Choice(String id, String label) {
    }

    /** What a scenario may hold, as the checks below read it: so a form offers exactly what a save accepts. */
    record ChangeTypes(List<ChangeType> types, List<Choice> roles, List<String> employment, YearMonth firstMonth) {
    }

    /**
     * The change types a scenario may hold, their fields, the roles and employment types they may name and the first
     * month a change may start. Not under /api/scenarios/, where it would hide a scenario of the same name.
     */
    @GetMapping("/api/scenario-changes")
    ChangeTypes changeTypes() {
        List<ChangeType> types = FIELDS.entrySet().stream().map(e -> new ChangeType(e.getKey(), e.getValue().entrySet().stream()
                .map(f -> new Field(f.getKey(), f.getValue())).toList())).toList();
        List<Choice> roles = ROLES.stream().map(id -> new Choice(id, StaffRole.byId(id).orElseThrow().label())).toList();
        return new ChangeTypes(types, roles, EMPLOYMENT, YearMonth.now(clock));
    }

    @GetMapping("/api/scenarios")
    Flux<ScenarioStore.Saved> list() {
        return store.list();
    }

    @GetMapping("/api/scenarios/{name}")
    Mono<ScenarioStore.Saved> get(@PathVariable String name) {
        return found(name);
    }

    /**
     * Body: a scenario ({"name", "description"?, "changes": [...]}); 409 when the name is taken. Who created it is the
     * signed-in person, whatever the body says.
     */
    @PostMapping("/api/scenarios")
    Mono<ResponseEntity<ScenarioStore.Saved>> create(@RequestBody JsonNode body, java.security.Principal who) {
        return checked(body, null).flatMap(scenario -> store.create(scenario, who.getName())
                .switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.CONFLICT, "a scenario named '"
                        + scenario.name() + "' exists already; PUT /api/scenarios/" + scenario.name() + " replaces it")))
                .map(saved -> ResponseEntity.created(location(saved.name())).body(saved)));
    }

    /** Replaces the scenario of this name (or saves it as new: 201). The body's name, if given, must be the same. */
    @PutMapping("/api/scenarios/{name}")
    Mono<ResponseEntity<ScenarioStore.Saved>> replace(@PathVariable String name, @RequestBody JsonNode body,
                                                      java.security.Principal who) {
        return checked(body, name).flatMap(scenario -> store.replace(scenario, who.getName()))
                .map(w -> w.created() ? ResponseEntity.created(location(w.saved().name())).body(w.saved())
                        : ResponseEntity.ok(w.saved()));
    }

    @DeleteMapping("/api/scenarios/{name}")
    Mono<ResponseEntity<Void>> delete(@PathVariable String name) {
        return store.delete(name).flatMap(deleted -> deleted ? Mono.just(ResponseEntity.noContent().<Void>build())
                : Mono.error(notFound(name)));
    }

    /** The baseline and the scenario, projected over the same months for the same team, service or authority. */
    @GetMapping("/api/scenarios/{name}/forecast")
    Mono<Map<String, Object>> forecast(@PathVariable String name,
                                       @RequestParam(defaultValue = "authority") String level,
                                       @RequestParam(required = false) String scope,
                                       @RequestParam(defaultValue = "12") int months) {
        if (months < 1 || months > MAX_MONTHS) {
            return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "months must be 1 to " + MAX_MONTHS + ", got " + months));
        }
        return found(name).flatMap(saved -> Mono.zip(
                        forecast.project(level, scope, months, null),
                        forecast.project(level, scope, months, saved.scenario()))
                .map(both -> {
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("name", saved.name());
                    answer.put("description", saved.description());
                    answer.put("changes", saved.changes());
                    answer.put("baseline", both.getT1());
                    answer.put("scenario", both.getT2());
                    return answer;
                }));
    }

    private Mono<ScenarioStore.Saved> found(String name) {
        return store.get(name).switchIfEmpty(Mono.error(() -> notFound(name)));
    }

    private static ResponseStatusException notFound(String name) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "no scenario named '" + name + "'; GET /api/scenarios lists them");
    }

    private static URI location(String name) {
        return org.springframework.web.util.UriComponentsBuilder.fromPath("/api/scenarios/{name}").buildAndExpand(name).encode().toUri();
    }

    // ------------------------------------------------------------------ validation

    /**
     * The scenario the body describes, or a 422 listing every problem: first the shape of each change (its type,
     * its fields and their kinds), then the values against the staff roles, the teams and services held and the
     * forecast's first month, then the scenario's own rules.
     */
    private Mono<Scenario> checked(JsonNode body, String pathName) {
        List<Problem> problems = new ArrayList<>();
        if (body == null || !body.isObject()) {
            return Mono.error(invalid(List.of(new Problem(null, null, "the body must be a JSON object: {\"name\", \"changes\": [...]}"))));
        }
        JsonNode nameNode = body.get("name");
        String name = nameNode != null && nameNode.isString() ? nameNode.stringValue() : null;
        if (pathName != null && (nameNode == null || nameNode.isNull())) {
            name = pathName;
        } else if (pathName != null && !pathName.equals(name)) {
            problems.add(new Problem(null, "name", "the name in the body (" + nameNode + ") differs from the name in the address ("
                    + pathName + ")"));
        }
        if (name == null || !NAME.matcher(name).matches() || name.isBlank()) {
            problems.add(new Problem(null, "name", "name is required: 1 to 100 letters, digits, spaces, '_', '.' or '-'"));
        }
        JsonNode description = body.get("description");
        if (description != null && !description.isNull() && !description.isString()) {
            problems.add(new Problem(null, "description", "description must be text"));
        }
        JsonNode changes = body.get("changes");
        if (changes == null || changes.isNull()) {
            problems.add(new Problem(null, "changes", "changes is required: a list of changes (it may be empty)"));
        } else if (!changes.isArray()) {
            problems.add(new Problem(null, "changes", "changes must be a list"));
        }
        Set<String> teams = new LinkedHashSet<>();
        Set<String> services = new LinkedHashSet<>();
        YearMonth first = YearMonth.now(clock);
        if (changes != null && changes.isArray()) {
            for (int i = 0; i < changes.size(); i++) {
                checkShape(i, changes.get(i), first, problems, teams, services);
            }
        }
        String scenarioName = name;
        return unknown(teams, services).flatMap(missing -> {
            List<Problem> found = new ArrayList<>(problems);
            for (int i = 0; changes != null && changes.isArray() && i < changes.size(); i++) {
                JsonNode c = changes.get(i);
                if (isText(c, "team") && missing.teams().contains(c.get("team").stringValue())) {
                    found.add(new Problem(i, "team", "no team with team_id '" + c.get("team").stringValue() + "' (see GET /api/authority)"));
                }
                if (isText(c, "service") && missing.services().contains(c.get("service").stringValue())) {
                    found.add(new Problem(i, "service", "no team belongs to a service named '" + c.get("service").stringValue() + "'"));
                }
            }
            if (!found.isEmpty()) {
                found.sort(java.util.Comparator.comparing((Problem p) -> p.change() == null ? -1 : p.change()));
                return Mono.error(invalid(found));
            }
            Scenario scenario;
            try {
                Map<String, Object> tree = new LinkedHashMap<>();
                tree.put("name", scenarioName);
                tree.put("description", description == null || description.isNull() ? null : description.stringValue());
                tree.put("changes", changes);
                scenario = json.convertValue(tree, Scenario.class);
            } catch (RuntimeException e) {
                found.add(new Problem(null, null, "the scenario cannot be read: " + e.getMessage()));
                return Mono.error(invalid(found));
            }
            if (found.isEmpty()) {
                // rules of the scenario itself that the checks above do not already cover
                for (String p : scenario.problems()) {
                    found.add(new Problem(changeIndex(p), null, p));
                }
            }
            return found.isEmpty() ? Mono.just(scenario) : Mono.error(invalid(found));
        });
    }

    private void checkShape(int i, JsonNode c, YearMonth first, List<Problem> problems, Set<String> teams, Set<String> services) {
        if (c == null || !c.isObject()) {
            problems.add(new Problem(i, null, "a change must be a JSON object with a type"));
            return;
        }
        JsonNode typeNode = c.get("type");
        String type = typeNode != null && typeNode.isString() ? typeNode.stringValue() : null;
        Map<String, Boolean> fields = type == null ? null : FIELDS.get(type);
        if (fields == null) {
            problems.add(new Problem(i, "type", (typeNode == null || typeNode.isNull() ? "type is required" : "unknown type " + typeNode)
                    + "; one of " + String.join(", ", FIELDS.keySet())));
            return;
        }
        for (String field : c.propertyNames()) {
            if (!field.equals("type") && !fields.containsKey(field)) {
                problems.add(new Problem(i, field, "a " + type + " change has no field " + field + "; its fields are "
                        + String.join(", ", fields.keySet())));
            }
        }
        fields.forEach((field, required) -> {
            JsonNode v = c.get(field);
            if (v == null || v.isNull()) {
                if (required) {
                    problems.add(new Problem(i, field, field + " is required for a " + type + " change"));
                }
                return;
            }
            switch (field) {
                case "team", "service" -> {
                    if (!v.isString() || v.stringValue().isBlank()) {
                        problems.add(new Problem(i, field, field + " must be " + (field.equals("team") ? "a team_id" : "a service name")));
                    } else {
                        (field.equals("team") ? teams : services).add(v.stringValue());
                    }
                }
                case "role" -> {
                    if (!v.isString() || !ROLES.contains(v.stringValue())) {
                        problems.add(new Problem(i, field, "role must be one of " + String.join(", ", ROLES) + ", got " + v));
                    }
                }
                case "employment" -> {
                    if (!v.isString() || !EMPLOYMENT.contains(v.stringValue())) {
                        problems.add(new Problem(i, field, "employment must be one of " + String.join(", ", EMPLOYMENT) + ", got " + v));
                    }
                }
                case "count" -> {
                    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() <= 0) {
                        problems.add(new Problem(i, field, "count must be a whole number above 0, got " + v));
                    }
                }
                case "fte", "protected_share" -> {
                    if (!v.isNumber() || !(v.doubleValue() > 0 && v.doubleValue() <= 1)) {
                        problems.add(new Problem(i, field, field + " must be a number above 0 and at most 1, got " + v));
                    }
                }
                case "funded_fte" -> {
                    if (!v.isNumber() || !(v.doubleValue() >= 0)) {
                        problems.add(new Problem(i, field, "funded_fte must be a number at least 0, got " + v));
                    }
                }
                case "percent" -> {
                    if (!v.isNumber() || !(v.doubleValue() >= -100)) {
                        problems.add(new Problem(i, field, "percent must be a number at least -100, got " + v));
                    }
                }
                case "from" -> checkMonth(i, v, first, problems);
                default -> throw new IllegalStateException("no check for " + field);
            }
        });
        if (c.hasNonNull("team") && c.hasNonNull("service")) {
            problems.add(new Problem(i, "service", "give team or service, not both"));
        }
    }

    private static void checkMonth(int i, JsonNode v, YearMonth first, List<Problem> problems) {
        YearMonth month = null;
        if (v.isString() && MONTH.matcher(v.stringValue()).matches()) {
            try {
                month = YearMonth.parse(v.stringValue());
            } catch (DateTimeParseException e) {
                month = null;
            }
        }
        if (month == null) {
            problems.add(new Problem(i, "from", "from must be a month as YYYY-MM, got " + v));
        } else if (month.isBefore(first)) {
            problems.add(new Problem(i, "from", "from (" + month + ") is before the forecast's first month (" + first + ")"));
        }
    }

    private record Missing(Set<String> teams, Set<String> services) {
    }

    /** Which of these teams and services the authority does not have. */
    private Mono<Missing> unknown(Set<String> teams, Set<String> services) {
        Mono<Set<String>> knownTeams = teams.isEmpty() ? Mono.just(Set.of())
                : db.sql("SELECT team_id FROM teams WHERE team_id = ANY (:ids)").bind("ids", teams.toArray(String[]::new))
                        .map(r -> r.get("team_id", String.class)).all().collect(java.util.stream.Collectors.toSet());
        Mono<Set<String>> knownServices = services.isEmpty() ? Mono.just(Set.of())
                : db.sql("SELECT DISTINCT service FROM teams WHERE service = ANY (:names)")
                        .bind("names", services.toArray(String[]::new))
                        .map(r -> r.get("service", String.class)).all().collect(java.util.stream.Collectors.toSet());
        return Mono.zip(knownTeams, knownServices).map(known -> {
            Set<String> t = new LinkedHashSet<>(teams);
            t.removeAll(known.getT1());
            Set<String> s = new LinkedHashSet<>(services);
            s.removeAll(known.getT2());
            return new Missing(t, s);
        });
    }

    /** The index in a problem worded "changes[3]: ...", or null. */
    private static Integer changeIndex(String problem) {
        java.util.regex.Matcher m = Pattern.compile("^changes\\[(\\d+)]").matcher(problem);
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }

    private static ErrorResponseException invalid(List<Problem> problems) {
        return org.workforcewatch.config.Unprocessable.of("invalid-scenario", "The scenario is not valid",
                problems.isEmpty() ? "" : "The scenario has a problem: " + problems.get(0).problem(),
                "The scenario has " + problems.size() + " problems; each is listed with its change and field.", "problems", problems);
    }

    private static boolean isText(JsonNode node, String field) {
        return node != null && node.isObject() && node.hasNonNull(field) && node.get(field).isString();
    }

    private static Map<String, Boolean> fields(Object... pairs) {
        Map<String, Boolean> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (Boolean) pairs[i + 1]);
        }
        return m;
    }
}
