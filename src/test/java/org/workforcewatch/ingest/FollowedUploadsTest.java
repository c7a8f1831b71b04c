package org.workforcewatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.Principal;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The uploads followed on an instance: a bounded map whose entries expire, each followed by its sender only. */
class FollowedUploadsTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    /** This test's own virtual time: the streams look on it, and nothing else in the JVM shares it. */
    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final ImportProgress followed = new ImportProgress(3, now::get, time);

    private static Principal person(String name) {
        return () -> name;
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void theMapHoldsAtMostItsBoundAndAnIdNobodyUploadsWithExpires() {
        for (int i = 0; i < 3; i++) {
            followed.claim(UUID.randomUUID(), "hr");
        }
        assertThatThrownBy(() -> followed.claim(UUID.randomUUID(), "hr")).isInstanceOfSatisfying(ResponseStatusException.class,
                e -> assertThat(e.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
        UUID extra = UUID.randomUUID();
        followed.forUpload(MockServerHttpRequest.post("/api/imports/teams").header(ImportProgress.HEADER, extra.toString()).build(),
                person("hr"));
        assertThat(followed.find(extra)).as("an upload beyond the bound goes ahead, unfollowed").isEmpty();
        advance(ImportProgress.WAIT.minusSeconds(1));
        followed.purge();
        assertThat(followed.size()).isEqualTo(3);
        advance(Duration.ofSeconds(1));
        followed.claim(UUID.randomUUID(), "hr");
        assertThat(followed.size()).as("the three never used have expired").isEqualTo(1);
    }

    @Test
    void anEndedUploadIsKeptForALateFollowerThenForgotten() {
        UUID id = UUID.randomUUID();
        Progress p = followed.forUpload(MockServerHttpRequest.post("/api/imports/teams").header(ImportProgress.HEADER, id.toString())
                .header("Content-Length", "120").build(), person("hr"));
        p.done(3);
        advance(ImportProgress.KEEP.minusSeconds(1));
        followed.purge();
        assertThat(followed.find(id)).isPresent();
        advance(Duration.ofSeconds(1));
        followed.purge();
        assertThat(followed.find(id)).isEmpty();
    }

    @Test
    void anIdIsTheFirstPersonsAndARunningUploadsIdIsNotTakenTwice() {
        UUID id = UUID.randomUUID();
        followed.claim(id, "hr");
        assertThatThrownBy(() -> followed.claim(id, "admin")).isInstanceOfSatisfying(ResponseStatusException.class,
                e -> assertThat(e.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN));
        var upload = MockServerHttpRequest.post("/api/imports/teams").header(ImportProgress.HEADER, id.toString()).build();
        followed.forUpload(upload, person("hr"));
        assertThatThrownBy(() -> followed.forUpload(upload, person("hr"))).isInstanceOfSatisfying(ResponseStatusException.class,
                e -> assertThat(e.getStatusCode()).isEqualTo(HttpStatus.CONFLICT));
        assertThat(followed.forUpload(MockServerHttpRequest.post("/api/imports/teams").build(), person("hr")))
                .as("an upload without the header is followed by nobody").isNotNull();
        assertThat(followed.size()).isEqualTo(1);
    }

    /** Followed uploads whose clock is the virtual time their streams look on. */
    private ImportProgress onVirtualTime() {
        return new ImportProgress(3, () -> time.now(TimeUnit.NANOSECONDS), time);
    }

    private Runnable await(Duration d) {
        return () -> time.advanceTimeBy(d);
    }

    @Test
    void theStreamSendsOnlyChangesAndEndsWithHowTheUploadEnded() {
        UUID id = UUID.randomUUID();
        AtomicLong rows = new AtomicLong();
        ImportProgress followed = onVirtualTime();
        Flux<ServerSentEvent<Progress.Snapshot>> events = followed.follow(id.toString(), person("hr"));
        StepVerifier.create(events.map(e -> e.data() == null ? Map.of("comment", e.comment())
                        : Map.of("phase", e.data().phase(), "rows", e.data().rows())))
                .expectNext(Map.of("phase", "waiting", "rows", 0L))
                .then(() -> followed.forUpload(MockServerHttpRequest.post("/api/imports/teams")
                        .header(ImportProgress.HEADER, id.toString()).build(), person("hr")).reading("teams", rows))
                .then(await(ImportProgress.SAMPLE))
                .expectNext(Map.of("phase", "receiving", "rows", 0L))
                .then(() -> rows.set(500))
                .then(await(ImportProgress.SAMPLE.multipliedBy(5)))
                .expectNext(Map.of("phase", "receiving", "rows", 500L))
                .then(await(ImportProgress.KEEP_ALIVE))
                .expectNext(Map.of("comment", "keep-alive"))
                .then(() -> followed.find(id).orElseThrow().done(500))
                .then(await(ImportProgress.SAMPLE))
                .expectNext(Map.of("phase", "done", "rows", 500L))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void aFollowerOfAnUploadThatNeverArrivesIsToldSoAndTheStreamEnds() {
        ImportProgress followed = onVirtualTime();
        StepVerifier.create(followed.follow(UUID.randomUUID().toString(), person("hr"))
                        .filter(e -> e.data() != null).map(e -> e.data().phase()))
                .expectNext("waiting")
                .then(await(ImportProgress.WAIT))
                .expectNext("failed")
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void everyPieceReadIsAMilestoneTheFollowerIsToldHoweverLateItLooks() {
        UUID id = UUID.randomUUID();
        Progress p = followed.forUpload(MockServerHttpRequest.post("/api/imports/allocations").header(ImportProgress.HEADER, id.toString())
                .header("Content-Length", "900").build(), person("hr"));
        AtomicLong rows = new AtomicLong();
        StepVerifier.create(followed.follow(id.toString(), person("hr")).filter(e -> e.data() != null)
                        .map(e -> e.data().rows() + " " + e.data().phase()))
                .expectNext("0 receiving")
                .then(() -> {
                    // three pieces read, one of them reading no row, and the end, all between two looks of the follower
                    p.reading("allocations", rows);
                    for (long r : new long[] {1_000, 2_000, 2_000, 3_000}) {
                        rows.set(r);
                        p.pieceRead();
                    }
                    p.merging();
                    p.done(3_000);
                })
                .then(await(ImportProgress.SAMPLE))
                .expectNext("1000 receiving", "2000 receiving", "3000 receiving", "3000 done")
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        // one who looks after the end is told how it ended only
        assertThat(followed.follow(id.toString(), person("hr")).filter(e -> e.data() != null).map(e -> e.data().phase())
                .collectList().block(Duration.ofSeconds(10))).containsExactly("done");
    }
}
