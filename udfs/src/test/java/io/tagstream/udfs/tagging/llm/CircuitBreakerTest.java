package io.tagstream.udfs.tagging.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    @Test
    void opensAfterConsecutiveFailuresAndTriesAgainAfterTheOpenTime() {
        AtomicLong now = new AtomicLong(1_000);
        CircuitBreaker breaker = new CircuitBreaker(3, 10_000, now::get);
        breaker.failure();
        breaker.failure();
        breaker.success();                 // a success resets the count
        breaker.failure();
        breaker.failure();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        breaker.failure();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.allowsCall()).isFalse();

        now.addAndGet(9_999);
        assertThat(breaker.allowsCall()).isFalse();
        now.addAndGet(1);
        assertThat(breaker.allowsCall()).isTrue();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        breaker.failure();                 // the trial failed: open again at once
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);

        now.addAndGet(10_000);
        assertThat(breaker.allowsCall()).isTrue();
        breaker.success();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
}
