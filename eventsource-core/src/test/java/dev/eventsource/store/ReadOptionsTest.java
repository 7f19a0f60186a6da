package dev.eventsource.store;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadOptionsTest {

    @Test
    void defaults_read_everything_forward_in_pages() {
        ReadOptions o = ReadOptions.builder().build();

        assertThat(o.fromPosition()).isEmpty();
        assertThat(o.limit()).isEmpty();
        assertThat(o.direction()).isEqualTo(ReadDirection.FORWARD);
        assertThat(o.pageSize()).isEqualTo(ReadOptions.DEFAULT_PAGE_SIZE);
    }

    @Test
    void a_page_holds_the_page_size_or_the_limit_when_it_is_lower() {
        assertThat(ReadOptions.builder().pageSize(50).build().rowsPerPage()).isEqualTo(50);
        assertThat(ReadOptions.builder().pageSize(50).limit(7).build().rowsPerPage()).isEqualTo(7);
        assertThat(ReadOptions.builder().pageSize(50).limit(500).build().rowsPerPage()).isEqualTo(50);
    }

    @Test
    void refuses_a_time_window_that_ends_before_it_starts() {
        var builder = ReadOptions.builder().fromTimestamp(Instant.parse("2026-01-02T00:00:00Z"))
                .toTimestamp(Instant.parse("2026-01-01T00:00:00Z"));

        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after");
    }

    @Test
    void refuses_nonsense_limits_positions_and_names() {
        assertThatThrownBy(() -> ReadOptions.builder().limit(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReadOptions.builder().fromPosition(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReadOptions.builder().eventTypes("A", " ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReadOptions.builder().pageSize(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void to_builder_keeps_every_option() {
        ReadOptions o = ReadOptions.builder().fromPosition(3).limit(4).direction(ReadDirection.BACKWARD)
                .eventTypes("A").aggregateTypes("B").tenantId("t").pageSize(9).build();

        assertThat(o.toBuilder().build()).hasToString(o.toString());
    }
}
