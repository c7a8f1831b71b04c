package org.workforcewatch.security;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.core.CredentialsContainer;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.stereotype.Component;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.WebSessionIdResolver;
import org.springframework.web.server.session.WebSessionManager;
import org.springframework.web.server.session.WebSessionStore;
import reactor.core.publisher.Mono;

/**
 * Dashboard sessions kept in PostgreSQL ({@code web_sessions}) instead of one instance's memory, so any
 * instance behind a load balancer serves any signed-in person, and a restart signs nobody out. A session is
 * written when it changes, and otherwise at most once a minute to move its expiry on; expired sessions are
 * refused when read and swept when new ones start.
 *
 * <p>A session is stored only once someone has signed in to it through the form: a visit to the sign-in page, a
 * page that sends the visitor there, or a script's call with its own credentials stores nothing, so nobody can
 * fill the table without a password. (The sign-in form's CSRF token and the page to return to are kept in
 * cookies until then, see {@link CsrfTokens} and {@link SecurityConfig}.)
 *
 * <p>Attributes are Java-serialised (what Spring Security keeps there: the signed-in person, the form token,
 * the page they were going to) and read back through a filter that admits only the JDK's and Spring
 * Security's classes, so a row planted in the table cannot run code.
 */
@Component
class DatabaseSessions implements WebSessionStore {

    /** How long an idle session is kept before a sign-in is needed again. */
    private final Duration maxIdle;
    private final DatabaseClient db;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final java.util.concurrent.atomic.AtomicReference<Instant> lastSweep = new java.util.concurrent.atomic.AtomicReference<>(Instant.EPOCH);

    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    private static final ObjectInputFilter ONLY_KNOWN = ObjectInputFilter.Config.createFilter(
            "maxdepth=20;maxrefs=2000;maxbytes=65536;java.base/*;org.springframework.security.**;!*");

    DatabaseSessions(DatabaseClient db, Clock clock, @Value("${workforce.security.session-timeout:8h}") Duration maxIdle) {
        this.db = db;
        this.clock = clock;
        this.maxIdle = maxIdle;
    }

    /** The session manager Spring WebFlux uses, with this store and the cookie settings of server.reactive.session. */
    @org.springframework.context.annotation.Bean(WebHttpHandlerBuilder.WEB_SESSION_MANAGER_BEAN_NAME)
    static WebSessionManager webSessionManager(DatabaseSessions sessions, ObjectProvider<WebSessionIdResolver> resolver) {
        DefaultWebSessionManager manager = new DefaultWebSessionManager();
        manager.setSessionStore(sessions);
        resolver.ifAvailable(manager::setSessionIdResolver);
        return manager;
    }

    /**
     * A new session, in memory only until someone signs in to it: a request that needs no session (an API call
     * with its own credentials, a health probe, the sign-in page) never touches the table.
     */
    @Override
    public Mono<WebSession> createWebSession() {
        Instant now = clock.instant();
        return Mono.just(new Session(newId(), now, now, maxIdle, new ConcurrentHashMap<>(), null));
    }

    /** Removes expired sessions, at most once a minute, when a new one is first stored. */
    private Mono<Void> sweep() {
        Instant now = clock.instant();
        Instant last = lastSweep.get();
        if (Duration.between(last, now).compareTo(TOUCH_EVERY) < 0 || !lastSweep.compareAndSet(last, now)) {
            return Mono.empty();
        }
        return db.sql("DELETE FROM web_sessions WHERE expires_at < :now").bind("now", at(now)).then();
    }

    @Override
    public Mono<WebSession> retrieveSession(String id) {
        return db.sql("SELECT attributes, created_at, last_access, extract(epoch FROM max_idle) AS idle FROM web_sessions"
                        + " WHERE id = :id AND expires_at >= :now")
                .bind("id", id).bind("now", at(clock.instant()))
                .map(r -> {
                    byte[] stored = r.get("attributes", byte[].class);
                    Duration idle = Duration.ofSeconds(r.get("idle", java.math.BigDecimal.class).longValue());
                    return (WebSession) new Session(id, r.get("created_at", OffsetDateTime.class).toInstant(),
                            r.get("last_access", OffsetDateTime.class).toInstant(), idle, new ConcurrentHashMap<>(read(stored)), stored);
                })
                .one();
    }

    @Override
    public Mono<Void> removeSession(String id) {
        return db.sql("DELETE FROM web_sessions WHERE id = :id").bind("id", id).then();
    }

    @Override
    public Mono<WebSession> updateLastAccessTime(WebSession webSession) {
        ((Session) webSession).accessed = clock.instant();
        return Mono.just(webSession);
    }

    private String newId() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** Whether a session's attributes hold a signed-in person (what the sign-in form leaves there). */
    static boolean signedIn(Map<String, Object> attributes) {
        return attributes.values().stream().anyMatch(v -> v instanceof SecurityContext context && context.getAuthentication() != null
                && context.getAuthentication().isAuthenticated());
    }

    /** The attributes as stored, without the signed-in person's password (not needed after sign-in). */
    static byte[] write(Map<String, Object> attributes) {
        attributes.values().forEach(value -> {
            if (value instanceof SecurityContext context && context.getAuthentication() instanceof CredentialsContainer signedIn) {
                signedIn.eraseCredentials();
            }
        });
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new HashMap<>(attributes));
        } catch (IOException e) {
            throw new UncheckedIOException("a session attribute cannot be stored", e);
        }
        return bytes.toByteArray();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> read(byte[] stored) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(stored))) {
            in.setObjectInputFilter(ONLY_KNOWN);
            return (Map<String, Object>) in.readObject();
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            return Map.of(); // unreadable: treated as an empty session, so the person signs in again
        }
    }

    /** One session; the state of a request's copy, written back by {@link #save()}. */
    private final class Session implements WebSession {

        private volatile String id;
        private final Instant created;
        private volatile Instant accessed;
        private final Instant persistedAccess;
        private volatile Duration idle;
        private final Map<String, Object> attributes;
        private final byte[] persisted;
        private volatile String replaces;
        private volatile boolean started;
        private volatile boolean invalid;

        Session(String id, Instant created, Instant accessed, Duration idle, Map<String, Object> attributes, byte[] persisted) {
            this.id = id;
            this.created = created;
            this.accessed = accessed;
            this.persistedAccess = accessed;
            this.idle = idle;
            this.attributes = attributes;
            this.persisted = persisted;
            this.started = persisted != null;
        }

        @Override
        public String getId() {
            return id;
        }

        @Override
        public Map<String, Object> getAttributes() {
            return attributes;
        }

        @Override
        public void start() {
            started = true;
        }

        /** Stored already, started on purpose, or holding a signed-in person: anything else is not kept. */
        @Override
        public boolean isStarted() {
            return started || signedIn(attributes);
        }

        @Override
        public Mono<Void> changeSessionId() {
            if (replaces == null && persisted != null) {
                replaces = id;
            }
            id = newId();
            return Mono.empty();
        }

        @Override
        public Mono<Void> invalidate() {
            invalid = true;
            attributes.clear();
            return Mono.when(removeSession(id), replaces == null ? Mono.empty() : removeSession(replaces));
        }

        @Override
        public Mono<Void> save() {
            if (invalid || !isStarted()) {
                return Mono.empty();
            }
            byte[] bytes = write(attributes);
            boolean unchanged = replaces == null && persisted != null && Arrays.equals(bytes, persisted)
                    && Duration.between(persistedAccess, accessed).compareTo(TOUCH_EVERY) < 0;
            if (unchanged) {
                return Mono.empty();
            }
            Mono<Void> forgetOld = (replaces == null ? Mono.<Void>empty() : removeSession(replaces))
                    .then(persisted == null ? sweep() : Mono.empty());
            return forgetOld.then(db.sql("INSERT INTO web_sessions (id, attributes, created_at, last_access, max_idle, expires_at)"
                            + " VALUES (:id, :attributes, :created, :accessed, make_interval(secs => :idle), :expires)"
                            + " ON CONFLICT (id) DO UPDATE SET attributes = excluded.attributes, last_access = excluded.last_access,"
                            + " max_idle = excluded.max_idle, expires_at = excluded.expires_at")
                    .bind("id", id).bind("attributes", bytes).bind("created", at(created)).bind("accessed", at(accessed))
                    .bind("idle", (double) idle.toSeconds()).bind("expires", at(accessed.plus(idle)))
                    .then());
        }

        @Override
        public boolean isExpired() {
            return !invalid && accessed.plus(idle).isBefore(clock.instant());
        }

        @Override
        public Instant getCreationTime() {
            return created;
        }

        @Override
        public Instant getLastAccessTime() {
            return accessed;
        }

        @Override
        public void setMaxIdleTime(Duration maxIdleTime) {
            idle = maxIdleTime;
        }

        @Override
        public Duration getMaxIdleTime() {
            return idle;
        }
    }
}
