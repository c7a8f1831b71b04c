package org.workforcewatch.audit;

import java.net.InetSocketAddress;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.workforcewatch.security.Caller;
import org.workforcewatch.security.Role;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes and reads the audit ({@code audit_log}): who did what, when, from where, and how it ended. Rows are
 * never changed or removed (the database refuses it).
 */
@Component
public class Audit {

    /**
     * The exchange attribute in which a handler leaves what a change was (a threshold's old and new values, an
     * import's id), for the audit row of its request.
     */
    public static final String DETAIL = Audit.class.getName() + ".detail";

    /** One audited request. */
    public record Entry(long id, OffsetDateTime at, String actor, String roles, String action, String method, String path,
                        String query, Integer status, String remoteAddress, Map<String, Object> detail) {
    }

    /** What a search of the audit asks for; nulls match everything. */
    record Filter(OffsetDateTime from, OffsetDateTime to, String actor, String action, Long beforeId, int limit) {
    }

    private final DatabaseClient db;
    private final JsonMapper json;

    Audit(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    /** Adds to what the audit row of this request will say (merged with anything already left). */
    @SuppressWarnings("unchecked")
    public static void detail(ServerWebExchange exchange, Map<String, ?> detail) {
        Map<String, Object> current = (Map<String, Object>) exchange.getAttributes()
                .computeIfAbsent(DETAIL, k -> new java.util.LinkedHashMap<String, Object>());
        current.putAll(detail);
    }

    /**
     * Records a request: the caller, what it was ({@code action}), its method, path, query, status and the
     * address it came from, with anything its handler left in {@link #DETAIL} and, for a change, its size.
     */
    public Mono<Void> request(ServerWebExchange exchange, Caller caller, String action, int status) {
        ServerHttpRequest request = exchange.getRequest();
        Map<String, Object> detail = new LinkedHashMap<>();
        if (exchange.getAttribute(DETAIL) instanceof Map<?, ?> left) {
            left.forEach((k, v) -> detail.put(String.valueOf(k), v));
        }
        long length = request.getHeaders().getContentLength();
        if (length >= 0) {
            detail.putIfAbsent("bytes", length);
        }
        InetSocketAddress remote = request.getRemoteAddress();
        return record(caller.name(), roles(caller), action, request.getMethod().name(), request.getPath().value(),
                request.getURI().getRawQuery(), status, remote == null || remote.getAddress() == null ? null
                        : remote.getAddress().getHostAddress(), detail);
    }

    /** The roles as the audit shows them: {@code hr}, or {@code team_manager:T01+T02} with a manager's teams. */
    static String roles(Caller caller) {
        String roles = caller.roles().stream().map(Role::id).sorted().collect(Collectors.joining(","));
        return caller.teams().isEmpty() ? roles : roles + ":" + caller.teams().stream().sorted().collect(Collectors.joining("+"));
    }

    private Mono<Void> record(String actor, String roles, String action, String method, String path, String query, Integer status,
                      String remoteAddress, Map<String, Object> detail) {
        return db.sql("INSERT INTO audit_log (actor, roles, action, method, path, query, status, remote_address, detail)"
                        + " VALUES (:actor, :roles, :action, :method, :path, NULLIF(:query, ''), NULLIF(:status, -1), NULLIF(:remote, ''),"
                        + " CAST(:detail AS jsonb))")
                .bind("actor", actor).bind("roles", roles).bind("action", action).bind("method", method).bind("path", path)
                .bind("query", query == null ? "" : query)
                .bind("status", status == null ? -1 : status)
                .bind("remote", remoteAddress == null ? "" : remoteAddress)
                .bind("detail", detail == null || detail.isEmpty() ? "{}" : json.writeValueAsString(detail))
                .then();
    }

    Flux<Entry> search(Filter f) {
        return db.sql("SELECT * FROM audit_log WHERE (:from = '' OR at >= CAST(NULLIF(:from, '') AS timestamptz))"
                        + " AND (:to = '' OR at < CAST(NULLIF(:to, '') AS timestamptz))"
                        + " AND (:actor = '' OR actor = :actor) AND (:action = '' OR action = :action)"
                        + " AND (:before = 0 OR id < :before) ORDER BY id DESC LIMIT :limit")
                .bind("from", f.from() == null ? "" : f.from().toString())
                .bind("to", f.to() == null ? "" : f.to().toString())
                .bind("actor", f.actor() == null ? "" : f.actor()).bind("action", f.action() == null ? "" : f.action())
                .bind("before", f.beforeId() == null ? 0L : f.beforeId()).bind("limit", f.limit())
                .map(r -> {
                    Integer status = r.get("status", Integer.class);
                    String detail = r.get("detail", io.r2dbc.postgresql.codec.Json.class).asString();
                    return new Entry(r.get("id", Long.class), r.get("at", OffsetDateTime.class), r.get("actor", String.class),
                            r.get("roles", String.class), r.get("action", String.class), r.get("method", String.class),
                            r.get("path", String.class), r.get("query", String.class), status,
                            r.get("remote_address", String.class),
                            json.readValue(detail, new tools.jackson.core.type.TypeReference<Map<String, Object>>() { }));
                })
                .all();
    }
}
