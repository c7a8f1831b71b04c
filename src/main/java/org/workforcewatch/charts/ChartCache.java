package org.workforcewatch.charts;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.workforcewatch.cluster.ChangedElsewhere;
import org.workforcewatch.indicators.IndicatorsRefreshed;
import org.workforcewatch.indicators.Thresholds;
import org.workforcewatch.ingest.DataChanged;
import org.workforcewatch.spc.Rebases;
import reactor.core.publisher.Mono;

/**
 * Rendered charts kept until the figures behind them change: least recently used first out, at most
 * {@value #MAX_ENTRIES} charts and {@value #MAX_BYTES} bytes. Any import or live event, a recompute of
 * today's indicators, a threshold change or a recorded SPC rebase empties it. A render that began before
 * such a change is answered but not kept, since it may show the figures from before.
 */
@Component
class ChartCache {

    static final int MAX_ENTRIES = 512;
    static final long MAX_BYTES = 64L * 1024 * 1024;

    /** What identifies a rendered chart: the chart with its parameters (canonical), format and size. */
    record Key(String chart, String params, String format, int width, int height) {
    }

    /**
     * A rendered chart: its bytes, a strong ETag of them, and how long it took to get the figures and build
     * the chart, to wait for a drawing thread, and to draw and encode it (milliseconds).
     */
    record Rendered(byte[] bytes, String etag, double buildMillis, double queueMillis, double drawMillis) {
    }

    /** A chart as answered, and whether it came from the cache. */
    record Answer(Rendered rendered, boolean hit) {
    }

    private final LinkedHashMap<Key, Rendered> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;
    private final AtomicLong generation = new AtomicLong();
    private final AtomicLong renders = new AtomicLong();

    /** The cached chart, or the render's result (kept if nothing changed meanwhile). */
    Mono<Answer> get(Key key, Supplier<Mono<Rendered>> render) {
        return Mono.defer(() -> {
            Rendered hit = lookup(key);
            if (hit != null) {
                return Mono.just(new Answer(hit, true));
            }
            long seen = generation.get();
            return render.get().doOnNext(r -> {
                renders.incrementAndGet();
                store(key, r, seen);
            }).map(r -> new Answer(r, false));
        });
    }

    private synchronized Rendered lookup(Key key) {
        return entries.get(key);
    }

    private synchronized void store(Key key, Rendered r, long seen) {
        if (generation.get() != seen || r.bytes().length > MAX_BYTES) {
            return;
        }
        Rendered old = entries.put(key, r);
        bytes += r.bytes().length - (old == null ? 0 : old.bytes().length);
        Iterator<Map.Entry<Key, Rendered>> eldest = entries.entrySet().iterator();
        while ((entries.size() > MAX_ENTRIES || bytes > MAX_BYTES) && eldest.hasNext()) {
            bytes -= eldest.next().getValue().bytes().length;
            eldest.remove();
        }
    }

    @EventListener({DataChanged.class, IndicatorsRefreshed.class, Thresholds.Changed.class, Rebases.Recorded.class,
            ChangedElsewhere.class})
    synchronized void clear() {
        generation.incrementAndGet();
        entries.clear();
        bytes = 0;
    }

    /** How many times the cache has been emptied since start. */
    long generation() {
        return generation.get();
    }

    /** Charts drawn since start (hits not counted). */
    long renders() {
        return renders.get();
    }

    synchronized int size() {
        return entries.size();
    }

    /** A strong ETag: the first 128 bits of the bytes' SHA-256, so equal images have equal tags. */
    static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
