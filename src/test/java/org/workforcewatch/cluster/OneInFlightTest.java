package org.workforcewatch.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class OneInFlightTest {

    /** Each send stays in flight until the test completes it. */
    private final List<Sinks.Empty<Void>> sends = new ArrayList<>();
    private final OneInFlight notify = new OneInFlight(() -> {
        Sinks.Empty<Void> send = Sinks.empty();
        sends.add(send);
        return send.asMono();
    });

    @Test
    void aBurstOfAsksWhileOneIsInFlightCostsOneMoreSend() {
        notify.ask();
        assertThat(sends).hasSize(1);
        for (int i = 0; i < 100; i++) {
            notify.ask();
        }
        assertThat(sends).as("nothing more goes while the first is in flight").hasSize(1);

        sends.get(0).tryEmitEmpty();
        assertThat(sends).as("the asks made meanwhile are covered by one send that starts after them").hasSize(2);

        sends.get(1).tryEmitEmpty();
        assertThat(sends).as("nothing was asked during the second send").hasSize(2);
    }

    @Test
    void anAskAfterTheLastSendEndedSendsAtOnce() {
        notify.ask();
        sends.get(0).tryEmitEmpty();
        notify.ask();
        assertThat(sends).hasSize(2);
    }

    @Test
    void aFailedSendStillLetsTheNextAskThrough() {
        notify.ask();
        notify.ask();
        sends.get(0).tryEmitError(new IllegalStateException("database away"));
        assertThat(sends).as("the ask made during the failed send is sent again").hasSize(2);
        sends.get(1).tryEmitEmpty();
        notify.ask();
        assertThat(sends).hasSize(3);
    }
}
