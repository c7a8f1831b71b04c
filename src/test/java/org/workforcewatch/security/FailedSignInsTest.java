package org.workforcewatch.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.workforcewatch.TestClock;

/** The counting behind the sign-in limits, on a clock the test sets. */
class FailedSignInsTest {

    private final TestClock clock = new TestClock("2026-12-01T09:00:00Z");

    private static SignInLimits limits(int free, int lockAfter, int addressLockAfter, int accountLockAfter, int maxTracked) {
        return new SignInLimits(free, Duration.ofSeconds(1), lockAfter, addressLockAfter, accountLockAfter, Duration.ofMinutes(15),
                maxTracked);
    }

    private static final FailedSignIns.Attempt ADMIN_HERE = new FailedSignIns.Attempt("Admin", "10.0.0.1");

    /** One attempt that fails; answers the locks it began. */
    private static List<FailedSignIns.Lock> fail(FailedSignIns failures, FailedSignIns.Attempt a) {
        assertThat(failures.begin(a)).as("may try").isEmpty();
        return failures.failed(a);
    }

    @Test
    void theWaitDoublesAfterTheFreeFailuresAndTheLockLastsTheLockTimeFromTheLastFailure() {
        FailedSignIns failures = new FailedSignIns(limits(3, 10, 100, 100, 1000), clock);
        for (int i = 0; i < 3; i++) {
            assertThat(fail(failures, ADMIN_HERE)).isEmpty();
        }
        for (long wait = 1; wait <= 64; wait *= 2) {
            Optional<FailedSignIns.Refusal> refused = failures.begin(ADMIN_HERE);
            assertThat(refused).get().extracting(FailedSignIns.Refusal::reason, FailedSignIns.Refusal::retryAfterSeconds)
                    .containsExactly("slowed", wait);
            clock.advance(Duration.ofSeconds(wait));
            List<FailedSignIns.Lock> locks = fail(failures, ADMIN_HERE);
            assertThat(locks).isEqualTo(wait < 64 ? List.of() : List.of(new FailedSignIns.Lock("account_and_address",
                    clock.instant().plus(Duration.ofMinutes(15)))));
        }
        assertThat(failures.begin(ADMIN_HERE)).get().extracting(FailedSignIns.Refusal::reason, FailedSignIns.Refusal::retryAfterSeconds)
                .containsExactly("locked", 900L);
        // the user name is counted in lower case, as users are looked up
        assertThat(failures.begin(new FailedSignIns.Attempt("admin", "10.0.0.1"))).get().extracting(FailedSignIns.Refusal::reason)
                .isEqualTo("locked");
        assertThat(failures.begin(new FailedSignIns.Attempt("admin", "10.0.0.2"))).isEmpty();
        clock.advance(Duration.ofMinutes(15).minusMillis(1));
        assertThat(failures.begin(ADMIN_HERE)).get().extracting(FailedSignIns.Refusal::retryAfterSeconds).isEqualTo(1L);
        clock.advance(Duration.ofMillis(1));
        assertThat(failures.begin(ADMIN_HERE)).isEmpty();
    }

    @Test
    void parallelAttemptsCannotPassTheLockBeforeTheirFailuresAreKnown() {
        FailedSignIns failures = new FailedSignIns(limits(0, 3, 100, 100, 1000), clock);
        failures.begin(ADMIN_HERE);
        failures.failed(ADMIN_HERE);
        clock.advance(Duration.ofSeconds(2));
        assertThat(failures.begin(ADMIN_HERE)).isEmpty();
        // once slowed, one attempt at a time
        assertThat(failures.begin(ADMIN_HERE)).get().extracting(FailedSignIns.Refusal::reason).isEqualTo("busy");
        failures.finished(ADMIN_HERE);
        assertThat(failures.begin(ADMIN_HERE)).isEmpty();
        failures.succeeded(ADMIN_HERE);
        // and a success clears the pair
        assertThat(failures.begin(ADMIN_HERE)).isEmpty();
        assertThat(failures.begin(ADMIN_HERE)).isEmpty();
        assertThat(failures.begin(ADMIN_HERE)).isEmpty();
        assertThat(failures.begin(ADMIN_HERE)).get().extracting(FailedSignIns.Refusal::reason).isEqualTo("busy");
    }

    @Test
    void whatIsRememberedIsBoundedAndLocksAreKeptLongest() {
        FailedSignIns failures = new FailedSignIns(limits(2, 2, 1000, 1000, 50), clock);
        assertThat(fail(failures, ADMIN_HERE)).isEmpty();
        assertThat(fail(failures, ADMIN_HERE)).hasSize(1);
        for (int i = 0; i < 200; i++) {
            FailedSignIns.Attempt other = new FailedSignIns.Attempt("user" + i, "10.1.0." + (i % 250));
            failures.begin(other);
            failures.failed(other);
        }
        assertThat(failures.tracked()).isLessThanOrEqualTo(50 + 3);
        assertThat(failures.begin(ADMIN_HERE)).get().extracting(FailedSignIns.Refusal::reason).isEqualTo("locked");
    }

    @Test
    void limitsThatCannotWorkStopTheStartUp() {
        assertThatThrownBy(() -> limits(11, 10, 100, 100, 1000)).hasMessageContaining("free-failures (11) must be at most lock-after (10)");
        assertThat(limits(0, 1, 1, 1, 1).lockAfter()).isEqualTo(1);
        assertThatThrownBy(() -> limits(3, 0, 100, 100, 1000)).hasMessageContaining("above 0");
    }
}
