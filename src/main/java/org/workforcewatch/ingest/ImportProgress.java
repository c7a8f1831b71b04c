package org.workforcewatch.ingest;

import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.springframework.http.HttpStatus;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The uploads being followed on this instance, by the id the client chose for each (a UUID sent as the
 * {@value #HEADER} header of the upload, and in the address of {@code GET /api/imports/progress/{id}}). Either may
 * come first. Only the person who sends an upload may follow it. The map is bounded and its entries expire: an id
 * nobody uploads with after {@link #WAIT}, an ended upload {@link #KEEP} after it ended (so a late follower still
 * hears how it ended), and one that stopped reporting after {@link #STALE}. Progress is kept in memory, per instance:
 * the page follows the instance it uploads to.
 */
@Component
public class ImportProgress {

    public static final String HEADER = "Import-Progress";
    public static final Duration WAIT = Duration.ofMinutes(2);
    public static final Duration KEEP = Duration.ofMinutes(2);
    public static final Duration STALE = Duration.ofHours(2);
    /** How often a follower's stream looks at the progress: it is sent only when it changed. */
    public static final Duration SAMPLE = Duration.ofMillis(100);
    public static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    public static final int MOST = 1000;

    private final Map<UUID, Progress> followed = new ConcurrentHashMap<>();
    private final int most;
    private final LongSupplier nanos;
    private final Scheduler ticks;

    public ImportProgress() {
        this(MOST, System::nanoTime, Schedulers.parallel());
    }

    /** Followed uploads on a clock and the scheduler their streams look on; a test gives both its own virtual time. */
    public ImportProgress(int most, LongSupplier nanos, Scheduler ticks) {
        this.most = most;
        this.nanos = nanos;
        this.ticks = ticks;
    }

    /** The progress an upload reports into: followed when it names an id, else nobody's. */
    public Progress forUpload(ServerHttpRequest request, Principal who) {
        String header = request.getHeaders().getFirst(HEADER);
        if (header == null) {
            return Progress.untracked();
        }
        UUID id = parse(header, HEADER + " header");
        if (followed.size() >= most && !followed.containsKey(id)) {
            purge();
        }
        if (followed.size() >= most && !followed.containsKey(id)) {
            return Progress.untracked(); // too many followed at once: the upload itself goes ahead, unfollowed
        }
        Progress p;
        try {
            p = claim(id, who.getName());
        } catch (ResponseStatusException e) {
            if (e.getStatusCode() != HttpStatus.SERVICE_UNAVAILABLE) {
                throw e;
            }
            return Progress.untracked(); // filled up meanwhile: the upload goes ahead, unfollowed
        }
        if (!p.start(request.getHeaders().getContentLength())) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "the " + HEADER + " id " + header.strip()
                    + " already follows an upload that is still running: give each upload an id of its own");
        }
        return p;
    }

    /**
     * The progress of an upload as server-sent events named {@code progress}, sent when it changes (at most every
     * {@link #SAMPLE}), a comment now and then to keep the stream open, and ending with the event that says how it
     * ended.
     */
    public Flux<ServerSentEvent<Progress.Snapshot>> follow(String id, Principal who) {
        UUID key = parse(id, "progress id");
        Progress p = claim(key, who.getName());
        return Flux.defer(() -> {
            Progress.Snapshot[] last = {null};
            long[] sentAt = {nanos.getAsLong()};
            // one who looks once it has ended is told how it ended, not how it went
            long[] seen = {p.snapshot().ended() ? p.milestonesAfter(Long.MAX_VALUE).getKey() : 0};
            return Flux.interval(Duration.ZERO, SAMPLE, ticks).onBackpressureDrop()
                    .concatMap(tick -> {
                        expireIfNeverStarted(p);
                        // every milestone of the reading since the last look, then how it stands now
                        Map.Entry<Long, List<Progress.Snapshot>> passed = p.milestonesAfter(seen[0]);
                        seen[0] = passed.getKey();
                        List<Progress.Snapshot> told = new java.util.ArrayList<>();
                        for (Progress.Snapshot m : passed.getValue()) {
                            if (!m.equals(last[0])) {
                                told.add(m);
                                last[0] = m;
                            }
                        }
                        Progress.Snapshot now = p.snapshot();
                        long t = nanos.getAsLong();
                        if (!now.equals(last[0])) {
                            told.add(now);
                            last[0] = now;
                        }
                        if (!told.isEmpty()) {
                            sentAt[0] = t;
                            return Flux.fromIterable(told).map(s -> ServerSentEvent.builder(s).event("progress").build());
                        }
                        if (t - sentAt[0] >= KEEP_ALIVE.toNanos()) {
                            sentAt[0] = t;
                            return Flux.just(ServerSentEvent.<Progress.Snapshot>builder().comment("keep-alive").build());
                        }
                        return Flux.<ServerSentEvent<Progress.Snapshot>>empty();
                    })
                    .takeUntil(e -> e.data() != null && e.data().ended());
        });
    }

    /** The progress under an id, made for this person if nobody holds the id yet; refused if another person does. */
    public Progress claim(UUID id, String person) {
        purge();
        Progress p = followed.computeIfAbsent(id, k -> followed.size() >= most ? null : new Progress(person, nanos));
        if (p == null) {
            throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "too many uploads are being followed on this"
                    + " instance (" + most + "): try again in a minute, or upload without following its progress");
        }
        if (!p.owner().equals(person)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "progress id " + id + " is another person's upload:"
                    + " only the person who sends an upload may follow it");
        }
        return p;
    }

    public Optional<Progress> find(UUID id) {
        return Optional.ofNullable(followed.get(id));
    }

    public int size() {
        return followed.size();
    }

    /** Drops what has expired. */
    public void purge() {
        long now = nanos.getAsLong();
        followed.values().removeIf(p -> expired(p, now));
    }

    private boolean expired(Progress p, long now) {
        Progress.Phase phase = p.phase();
        if (phase == Progress.Phase.WAITING) {
            return now - p.createdNanos() >= WAIT.toNanos();
        }
        return now - p.changedNanos() >= (phase.ended() ? KEEP : STALE).toNanos();
    }

    private void expireIfNeverStarted(Progress p) {
        if (p.phase() == Progress.Phase.WAITING && nanos.getAsLong() - p.createdNanos() >= WAIT.toNanos()) {
            p.failIfWaiting("no upload arrived with this progress id within " + WAIT.toMinutes() + " minutes");
        }
    }

    private static UUID parse(String value, String what) {
        try {
            String v = value.strip();
            UUID id = UUID.fromString(v);
            // UUID.fromString takes shortened forms such as 1-2-3-4-5: only the canonical 36 characters are an id
            if (v.length() != 36) {
                throw new IllegalArgumentException();
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "the " + what + " must be a UUID such as"
                    + " 3f2b8c1e-6a47-4f0e-9d2a-5b7c8e9f0a1b, got: " + ImportError.shown(value));
        }
    }
}
