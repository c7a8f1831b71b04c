package org.workforcewatch.planning;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Mono;

/**
 * Answers that cost seconds, kept until the data changes: each is computed once per question and generation of the data
 * (whoever asks while it is computed waits for the same computation), and the latest {@code size} are kept, least recently
 * used going first. An answer computed across a change of the data may show it half: it is answered but not kept.
 *
 * @param <K> the question (its day included where the answer depends on it)
 * @param <V> the answer
 */
final class KeptAnswers<K, V> {

    private record Key<K>(K question, long generation) {
    }

    private final Map<Key<K>, V> kept;
    private final Map<Key<K>, Mono<V>> running = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final AtomicLong computed = new AtomicLong();

    KeptAnswers(int size) {
        kept = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key<K>, V> eldest) {
                return size() > size;
            }
        };
    }

    /**
     * The answer kept for the question at the data as it is, or the one being computed, or else a new computation.
     *
     * @param compute computes the answer, told the generation of the data it is computed at
     * @param keep    whether a computed answer may be kept (else it is answered only)
     * @param start   wraps a new computation (not the joining of one under way), e.g. to limit how many run at once
     */
    Mono<V> get(K question, LongFunction<Mono<V>> compute, Predicate<V> keep, UnaryOperator<Mono<V>> start) {
        return Mono.defer(() -> {
            Key<K> key = new Key<>(question, generation.get());
            V known;
            synchronized (kept) {
                known = kept.get(key);
            }
            if (known != null) {
                return Mono.just(known);
            }
            Mono<V> underWay = running.get(key);
            return underWay != null ? underWay : start.apply(Mono.defer(() -> running.computeIfAbsent(key, k -> compute.apply(k.generation())
                    .doOnNext(answer -> {
                        computed.incrementAndGet();
                        if (generation.get() == k.generation() && keep.test(answer)) {
                            synchronized (kept) {
                                kept.put(k, answer);
                            }
                        }
                    })
                    .doFinally(signal -> running.remove(k))
                    .cache())));
        });
    }

    /** The data changed: nothing kept answers any more. */
    void dataChanged() {
        generation.incrementAndGet();
        synchronized (kept) {
            kept.clear();
        }
    }

    /** The generation of the data: changes whenever the data does. */
    long generation() {
        return generation.get();
    }

    /** Whether some answer is being computed. */
    boolean busy() {
        return !running.isEmpty();
    }

    /** Answers computed since start (answers from what was kept not counted). */
    long computed() {
        return computed.get();
    }
}
