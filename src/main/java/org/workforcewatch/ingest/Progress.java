package org.workforcewatch.ingest;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.web.ErrorResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * How far one upload has come, for the person who sent it to follow while it runs: the bytes received, the rows
 * read so far (of every file of it, as the import log counts them) and the phase it is in. Written by the request
 * that imports, read by the follower's stream ({@link ImportProgress}); every field may be read from any thread.
 */
public final class Progress {

    /** Where an upload is. The last three end it. */
    public enum Phase {
        /** Followed, but its upload has not arrived yet. */
        WAITING,
        /** The bytes are arriving and being read, row by row. */
        RECEIVING,
        /** The file is in: keys and references are being checked (and, for a zip, its tables read). */
        CHECKING,
        /** Checked: the rows are being merged into the stored data. */
        MERGING,
        DONE,
        REJECTED,
        FAILED;

        boolean ended() {
            return this == DONE || this == REJECTED || this == FAILED;
        }

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What a follower is sent.
     *
     * @param phase      receiving, checking, merging, done, rejected or failed (waiting before the upload arrives)
     * @param rows       rows read so far (in every file of the upload)
     * @param bytes      bytes received so far
     * @param totalBytes the size the upload declared, or null when it declared none
     * @param dataset    the dataset being read now (for an SSD zip, its table)
     * @param detail     why it ended, when it was rejected or failed
     */
    public record Snapshot(String phase, long rows, long bytes, Long totalBytes, String dataset, String detail) {

        boolean ended() {
            return Phase.valueOf(phase.toUpperCase(Locale.ROOT)).ended();
        }
    }

    /** Progress nobody follows: reported into, never read. */
    public static Progress untracked() {
        return new Progress(null, System::nanoTime);
    }

    private final String owner;
    private final LongSupplier nanos;
    private final long createdNanos;
    private final AtomicLong bytes = new AtomicLong();
    private final List<AtomicLong> counters = new CopyOnWriteArrayList<>();
    private volatile Phase phase = Phase.WAITING;
    private volatile long totalBytes = -1;
    private volatile String dataset;
    private volatile String detail;
    private volatile long finalRows = -1;
    private volatile long changedNanos;

    public Progress(String owner, LongSupplier nanos) {
        this.owner = owner;
        this.nanos = nanos;
        this.createdNanos = nanos.getAsLong();
        this.changedNanos = createdNanos;
    }

    public String owner() {
        return owner;
    }

    /**
     * The upload arrived, unless another upload under the same id is running: answers whether it starts, checked
     * and started in one step so two uploads with one id cannot both start.
     */
    public synchronized boolean start(long declared) {
        if (!phase.ended() && phase != Phase.WAITING) {
            return false;
        }
        receiving(declared);
        return true;
    }

    /** Fails a progress no upload has come to, unless one has started meanwhile. */
    public synchronized void failIfWaiting(String why) {
        if (phase == Phase.WAITING) {
            failed(why);
        }
    }

    /** The upload arrived; {@code declared} is its Content-Length (-1 when unknown). */
    public synchronized void receiving(long declared) {
        bytes.set(0);
        milestones.clear();
        milestonesTaken = 0;
        counters.clear();
        finalRows = -1;
        detail = null;
        dataset = null;
        totalBytes = declared;
        to(Phase.RECEIVING);
    }

    public void received(long count) {
        bytes.addAndGet(count);
    }

    /**
     * A file of the upload is being read into {@code datasetName}; {@code rows} counts its rows. After the merge of
     * an earlier file of the same upload, reading the next is checking again.
     */
    public void reading(String datasetName, AtomicLong rows) {
        dataset = datasetName;
        if (!counters.contains(rows)) {
            counters.add(rows);
        }
        if (phase == Phase.MERGING) {
            to(Phase.CHECKING);
        }
    }

    public void checking() {
        to(Phase.CHECKING);
    }

    public void merging() {
        to(Phase.MERGING);
    }

    public void done(long rows) {
        finalRows = rows;
        to(Phase.DONE);
    }

    public void rejected(long rows, String why) {
        finalRows = rows;
        detail = why;
        to(Phase.REJECTED);
    }

    public void failed(String why) {
        detail = why;
        to(Phase.FAILED);
    }

    private synchronized void to(Phase next) {
        if (!phase.ended() || next == Phase.RECEIVING) {
            phase = next;
        }
        changedNanos = nanos.getAsLong();
    }

    /**
     * The import, reporting how it ended: done with the rows it read, rejected with the rows it read and why, or
     * failed (a refusal's own words, when it has them).
     */
    public <T> Mono<T> reporting(java.util.function.Supplier<Mono<T>> imported, ToLongFunction<T> rows) {
        // deferred: an import refused before its work starts (an unknown dataset) still ends what is followed
        return Mono.defer(imported).doOnNext(result -> done(rows.applyAsLong(result)))
                .doOnError(e -> {
                    if (e instanceof ImportRejected r) {
                        rejected(r.rows(), r.getMessage());
                    } else {
                        failed(e instanceof ErrorResponse refusal && refusal.getBody().getDetail() != null
                                ? refusal.getBody().getDetail() : "the import failed; nothing of it was applied");
                    }
                })
                .doOnCancel(() -> failed("the upload stopped before it was complete; nothing of it was applied"));
    }

    /** The body of an upload, its bytes counted as they arrive. */
    public Flux<DataBuffer> counted(Flux<DataBuffer> body) {
        return body.doOnNext(buffer -> received(buffer.readableByteCount()));
    }

    public Phase phase() {
        return phase;
    }

    public long createdNanos() {
        return createdNanos;
    }

    public long changedNanos() {
        return changedNanos;
    }

    /** The most milestones kept for followers that have not read them yet. */
    private static final int MILESTONES_KEPT = 256;
    /** The rows read as each piece of the file was read, numbered, newest last (see {@link #pieceRead}). */
    private final java.util.ArrayDeque<Snapshot> milestones = new java.util.ArrayDeque<>();
    private long milestonesTaken;

    /**
     * A piece of the file has been read: what was read by then is a milestone every follower is told, however fast
     * the reading goes and whenever the follower looks, so progress on a fast machine advances as it does on a slow one.
     */
    public synchronized void pieceRead() {
        Snapshot now = snapshot();
        Snapshot last = milestones.peekLast();
        if (last != null && last.rows() >= now.rows()) {
            return;
        }
        milestones.addLast(now);
        milestonesTaken++;
        if (milestones.size() > MILESTONES_KEPT) {
            milestones.removeFirst();
        }
    }

    /** The milestones after the first {@code seen} of them, and how many there have been in all. */
    synchronized java.util.Map.Entry<Long, List<Snapshot>> milestonesAfter(long seen) {
        long first = milestonesTaken - milestones.size();
        List<Snapshot> after = milestones.stream().skip(Math.max(0, seen - first)).toList();
        return java.util.Map.entry(milestonesTaken, after);
    }

    public Snapshot snapshot() {
        Phase p = phase;
        long rows = finalRows >= 0 && p.ended() ? finalRows : counters.stream().mapToLong(AtomicLong::get).sum();
        long declared = totalBytes;
        return new Snapshot(p.id(), rows, bytes.get(), declared < 0 ? null : declared, dataset, detail);
    }
}
