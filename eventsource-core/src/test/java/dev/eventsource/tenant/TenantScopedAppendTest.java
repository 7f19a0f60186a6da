package dev.eventsource.tenant;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.InMemoryEventStore;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.TenantGuardedAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How a view appends: in one call to the store's owner-checked append when the store offers it
 * (no head read first), through a view of a view too; with the head check first when it does not.
 * The calls are counted on a real in-memory store seen through a counting proxy.
 */
class TenantScopedAppendTest {

    record Noted(String text) implements DomainEvent {
    }

    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");

    private final InMemoryEventStore memory = new InMemoryEventStore(new EventRegistry().register(Noted.class));
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    @AfterEach
    void close() {
        memory.close();
    }

    /** {@link #memory} with its calls counted by method name; {@code guarded} says whether it offers owner-checked appends. */
    private EventStore counted(boolean guarded) {
        return (EventStore) Proxy.newProxyInstance(EventStore.class.getClassLoader(), new Class<?>[]{EventStore.class},
                (proxy, method, args) -> {
                    calls.computeIfAbsent(method.getName(), k -> new AtomicInteger()).incrementAndGet();
                    if (method.getName().equals("tenantGuardedAppender")) {
                        if (!guarded) {
                            return Optional.empty();
                        }
                        TenantGuardedAppender real = memory.tenantGuardedAppender().orElseThrow();
                        return Optional.of((TenantGuardedAppender) (tenant, stream, events, expected, refusal) -> {
                            calls.computeIfAbsent("appendAsOwner", k -> new AtomicInteger()).incrementAndGet();
                            return real.appendAsOwner(tenant, stream, events, expected, refusal);
                        });
                    }
                    try {
                        return method.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private int calls(String method) {
        AtomicInteger n = calls.get(method);
        return n == null ? 0 : n.get();
    }

    private static void note(EventStore view, UUID id, String text) {
        view.appendEvents(id, "Note", List.of(new Noted(text)), ExpectedVersion.ANY);
    }

    @Test
    void over_a_store_that_checks_owners_in_its_append_a_scoped_append_is_one_call_and_reads_no_head() {
        EventStore acme = TenantScopedEventStore.of(counted(true), ACME);
        EventStore globex = TenantScopedEventStore.of(counted(true), GLOBEX);
        UUID id = UUID.randomUUID();

        note(acme, id, "one");
        note(acme, id, "two");
        assertThatThrownBy(() -> note(globex, id, "three")).isInstanceOf(CrossTenantAccessException.class)
                .hasMessageContaining("'globex'").hasMessageContaining("'acme'");

        assertThat(calls("appendAsOwner")).isEqualTo(3);
        assertThat(calls("getStreamHead")).as("head reads").isZero();
        assertThat(calls("getStreamVersion")).isZero();
        assertThat(calls("append")).as("unchecked appends").isZero();
        assertThat(memory.getEvents(id, "Note").events()).extracting(StoredEvent::tenantId).containsExactly("acme", "acme");
    }

    @Test
    void over_a_store_without_the_role_a_view_checks_the_head_first_and_refuses_just_the_same() {
        EventStore acme = TenantScopedEventStore.of(counted(false), ACME);
        EventStore globex = TenantScopedEventStore.of(counted(false), GLOBEX);
        UUID id = UUID.randomUUID();

        note(acme, id, "one");
        assertThatThrownBy(() -> note(globex, id, "two")).isInstanceOf(CrossTenantAccessException.class);

        assertThat(calls("getStreamHead")).isEqualTo(2);
        assertThat(calls("append")).isEqualTo(1);
        assertThat(memory.getStreamVersion(id, "Note")).isEqualTo(1);
    }

    @Test
    void a_view_of_a_view_keeps_the_one_call_append_and_a_view_of_another_tenants_view_refuses_everything() {
        EventStore acmeOfAcme = TenantScopedEventStore.of(TenantScopedEventStore.of(counted(true), ACME), ACME);
        EventStore globexOfAcme = TenantScopedEventStore.of(TenantScopedEventStore.of(counted(true), ACME), GLOBEX);
        UUID id = UUID.randomUUID();

        note(acmeOfAcme, id, "one");
        assertThatThrownBy(() -> note(globexOfAcme, UUID.randomUUID(), "two")).isInstanceOf(CrossTenantAccessException.class)
                .hasMessageContaining("'acme'").hasMessageContaining("'globex'");

        assertThat(calls("appendAsOwner")).isEqualTo(1);
        assertThat(calls("getStreamHead")).isZero();
        assertThat(memory.globalPosition()).isEqualTo(1);
        assertThat(acmeOfAcme.tenantScope()).contains("acme");
        assertThat(memory.tenantScope()).isEmpty();
    }
}
