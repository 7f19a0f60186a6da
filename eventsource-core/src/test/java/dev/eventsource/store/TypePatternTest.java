package dev.eventsource.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TypePatternTest {

    @Test
    void a_prefix_suffix_or_infix_pattern_matches_case_sensitively() {
        assertThat(TypePattern.of("Order*").matches("OrderPlaced")).isTrue();
        assertThat(TypePattern.of("Order*").matches("Order")).isTrue();
        assertThat(TypePattern.of("Order*").matches("orderPlaced")).isFalse();
        assertThat(TypePattern.of("*Created").matches("NoteCreated")).isTrue();
        assertThat(TypePattern.of("*Created").matches("NoteCreatedV2")).isFalse();
        assertThat(TypePattern.of("*voice*").matches("Invoice.Paid")).isTrue();
        assertThat(TypePattern.of("Order").matches("OrderPlaced")).as("a name is exact").isFalse();
    }

    @Test
    void sql_translations_keep_special_characters_literal() {
        assertThat(TypePattern.of("Ord_r%\\x*").sqlLike()).isEqualTo("Ord\\_r\\%\\\\x%");
        assertThat(TypePattern.of("*a?[b]*").sqliteGlob()).isEqualTo("*a[?][[]b]*");
    }

    @Test
    void malformed_patterns_are_refused_with_the_fix() {
        assertThatThrownBy(() -> TypePattern.of("Order**")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'**'");
        assertThatThrownBy(() -> TypePattern.of("*")).hasMessageContaining("leave the type filter out");
        assertThatThrownBy(() -> TypePattern.of("Ord*er")).hasMessageContaining("in the middle");
        assertThatThrownBy(() -> TypePattern.of("Order *")).hasMessageContaining("whitespace");
        assertThatThrownBy(() -> TypePattern.of(" ")).hasMessageContaining("non-blank");
        assertThatThrownBy(() -> ReadOptions.builder().eventTypes("A**")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dev.eventsource.subscription.SubscriptionOptions.builder().eventTypes("**Created"))
                .hasMessageContaining("'**'");
    }

    @Test
    void read_options_split_names_from_patterns() {
        ReadOptions o = ReadOptions.builder().eventTypes("A", "B*", "*C").build();
        assertThat(o.exactEventTypes()).containsExactly("A");
        assertThat(o.eventTypePatterns()).extracting(TypePattern::text).containsExactly("B*", "*C");
        assertThat(o.selectsEventType("Bx")).isTrue();
        assertThat(o.selectsEventType("xC")).isTrue();
        assertThat(o.selectsEventType("A")).isTrue();
        assertThat(o.selectsEventType("Ax")).isFalse();
        assertThat(ReadOptions.ALL.selectsEventType("anything")).isTrue();
    }
}
