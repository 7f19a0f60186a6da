package dev.eventsource.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpectedVersionTest {

    @Test
    void no_stream_is_the_same_value_as_exactly_zero() {
        assertThat(ExpectedVersion.exactly(0)).isEqualTo(ExpectedVersion.NO_STREAM).hasSameHashCodeAs(ExpectedVersion.NO_STREAM);
    }

    @Test
    void values_compare_by_kind_and_number() {
        assertThat(ExpectedVersion.exactly(3)).isEqualTo(ExpectedVersion.exactly(3)).isNotEqualTo(ExpectedVersion.exactly(4));
        assertThat(ExpectedVersion.ANY).isNotEqualTo(ExpectedVersion.STREAM_EXISTS);
    }

    @Test
    void each_kind_accepts_exactly_the_versions_it_names() {
        assertThat(ExpectedVersion.ANY.isSatisfiedBy(0)).isTrue();
        assertThat(ExpectedVersion.ANY.isSatisfiedBy(7)).isTrue();
        assertThat(ExpectedVersion.NO_STREAM.isSatisfiedBy(0)).isTrue();
        assertThat(ExpectedVersion.NO_STREAM.isSatisfiedBy(1)).isFalse();
        assertThat(ExpectedVersion.STREAM_EXISTS.isSatisfiedBy(0)).isFalse();
        assertThat(ExpectedVersion.STREAM_EXISTS.isSatisfiedBy(1)).isTrue();
        assertThat(ExpectedVersion.exactly(2).isSatisfiedBy(2)).isTrue();
        assertThat(ExpectedVersion.exactly(2).isSatisfiedBy(3)).isFalse();
    }

    @Test
    void refuses_a_negative_version() {
        assertThatThrownBy(() -> ExpectedVersion.exactly(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(">= 0");
    }

    @Test
    void reads_well_in_messages() {
        assertThat(ExpectedVersion.exactly(0)).hasToString("NO_STREAM");
        assertThat(ExpectedVersion.exactly(5)).hasToString("exactly(5)");
    }
}
