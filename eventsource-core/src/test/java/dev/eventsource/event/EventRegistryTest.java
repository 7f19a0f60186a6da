package dev.eventsource.event;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventRegistryTest {

    record Plain(String x) implements DomainEvent {}

    @EventType(value = "Renamed", version = 3)
    record Annotated(String x) implements DomainEvent {}

    sealed interface Family extends DomainEvent permits Family.One, Family.Two, Family.Nested {
        record One() implements Family {}
        record Two() implements Family {}
        sealed interface Nested extends Family permits Three {}
    }

    record Three() implements Family.Nested {}

    static final class Other {
        @EventType("Plain")
        record Impostor(String y) implements DomainEvent {}
    }

    @Test
    void names_an_event_by_its_simple_class_name_unless_annotated() {
        assertThat(EventRegistry.typeName(Plain.class)).isEqualTo("Plain");
        assertThat(EventRegistry.typeName(Annotated.class)).isEqualTo("Renamed");
        assertThat(EventRegistry.schemaVersion(Plain.class)).isEqualTo(1);
        assertThat(EventRegistry.schemaVersion(Annotated.class)).isEqualTo(3);
    }

    @Test
    void registering_the_same_class_twice_is_a_no_op() {
        EventRegistry registry = new EventRegistry().register(Plain.class).register(Plain.class);

        assertThat(registry.knownTypes()).containsExactly("Plain");
    }

    @Test
    void refuses_a_different_class_under_a_taken_name() {
        EventRegistry registry = new EventRegistry().register(Plain.class);

        assertThatThrownBy(() -> registry.register(Other.Impostor.class))
                .isInstanceOf(DuplicateEventTypeException.class)
                .hasMessageContaining("'Plain'")
                .hasMessageContaining("@EventType");
        assertThat(registry.lookup("Plain")).isEqualTo(Plain.class);
    }

    @Test
    void registering_a_sealed_interface_registers_every_permitted_record() {
        EventRegistry registry = new EventRegistry().register(Family.class);

        assertThat(registry.knownTypes()).containsExactly("One", "Three", "Two");
    }

    @Test
    void an_unknown_name_lists_the_known_ones() {
        EventRegistry registry = new EventRegistry().register(Plain.class);

        assertThatThrownBy(() -> registry.lookup("Missing"))
                .isInstanceOf(UnknownEventTypeException.class)
                .hasMessageContaining("Missing")
                .hasMessageContaining("[Plain]");
    }

    @Test
    void refuses_a_second_upcaster_for_the_same_step() {
        EventRegistry registry = new EventRegistry().registerUpcaster("Plain", 1, p -> p);

        assertThatThrownBy(() -> registry.registerUpcaster("Plain", 1, p -> p))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("v1 -> v2");
    }

    @Test
    void separate_registries_do_not_share_types() {
        EventRegistry a = new EventRegistry().register(Plain.class);
        EventRegistry b = new EventRegistry();

        assertThat(a.find("Plain")).isPresent();
        assertThat(b.find("Plain")).isEmpty();
    }
}
