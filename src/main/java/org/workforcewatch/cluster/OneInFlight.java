package org.workforcewatch.cluster;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * Sends something that only says "this happened" at most once at a time: asked again while a send is in flight, it
 * sends once more after it, however often it was asked meanwhile. Every ask is covered by a send that starts after
 * it, and a burst of asks costs two sends, not one each.
 */
final class OneInFlight {

    /** Asks not yet covered by a send that started after them; above 0 while a send is in flight. */
    private final AtomicInteger asked = new AtomicInteger();
    private final Supplier<Mono<Void>> send;

    OneInFlight(Supplier<Mono<Void>> send) {
        this.send = send;
    }

    void ask() {
        if (asked.getAndIncrement() == 0) {
            sendNow();
        }
    }

    private void sendNow() {
        int covered = asked.get();
        Mono.defer(send)
                .onErrorResume(e -> Mono.empty()) // the sender reports its own failures; the next ask sends again
                .doFinally(signal -> {
                    if (asked.addAndGet(-covered) > 0) {
                        sendNow();
                    }
                })
                .subscribe();
    }
}
