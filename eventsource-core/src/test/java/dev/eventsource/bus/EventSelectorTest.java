package dev.eventsource.bus;

import dev.eventsource.event.EventMetadata;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.tenant.TenantId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Narrowing a selector to one tenant: what it selects and what it refuses. */
class EventSelectorTest {

    record Shipped(String what) implements dev.eventsource.event.DomainEvent {
    }

    private static StoredEvent event(String tenant) {
        EventMetadata metadata = tenant == null ? EventMetadata.EMPTY : EventMetadata.EMPTY.withTenantId(tenant);
        return new StoredEvent(UUID.randomUUID(), EventRegistry.typeName(Shipped.class), UUID.randomUUID(), "Order", 1, 1,
                Instant.EPOCH, Instant.EPOCH, metadata, new Shipped("x"));
    }

    @Test
    void a_selector_narrowed_to_a_tenant_selects_what_it_selected_of_that_tenants_events_only() {
        EventSelector acme = EventSelector.ofClass(Shipped.class).forTenant(TenantId.of("acme"));

        assertThat(acme.matches(event("acme"))).isTrue();
        assertThat(acme.matches(event("globex"))).isFalse();
        assertThat(acme.matches(event(null))).isFalse();
        assertThat(EventSelector.ofType("Other").forTenant(TenantId.of("acme")).matches(event("acme"))).isFalse();
    }

    @Test
    void narrowing_twice_to_the_same_tenant_changes_nothing_and_to_another_is_refused() {
        EventSelector acme = EventSelector.all().forTenant(TenantId.of("acme"));

        assertThat(acme.forTenant(TenantId.of("acme"))).isSameAs(acme);
        assertThatThrownBy(() -> acme.forTenant(TenantId.of("globex"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("acme").hasMessageContaining("globex");
        assertThatThrownBy(() -> new EventSelector.OfTenant(TenantId.of("globex"), acme))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventSelector.all().forTenant(null)).isInstanceOf(NullPointerException.class);
    }
}
