package dev.eventsource.examples;

import dev.eventsource.aggregate.AggregateRepository;
import dev.eventsource.examples.Quickstart.NoteAggregate;
import dev.eventsource.examples.Quickstart.NoteCreated;
import dev.eventsource.sqlite.SQLiteEventStore;
import dev.eventsource.store.EventStore;
import dev.eventsource.subscription.Subscription;
import dev.eventsource.subscription.SubscriptionManager;
import dev.eventsource.subscription.SubscriptionOptions;
import dev.eventsource.tenant.CrossTenantAccessException;
import dev.eventsource.tenant.TenantId;
import dev.eventsource.tenant.TenantScopedEventStore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Two tenants in one SQLite store (docs/tenancy.md): each saves notes through its own scoped
 * repository; a projection per tenant, on that tenant's view, lists its titles; one global
 * projection, on the unscoped store, counts notes per tenant; and a tenant that tries to load the
 * other's note is refused.
 *
 * <p>Run with {@code mvn -q -pl eventsource-examples exec:java -Dexec.mainClass=dev.eventsource.examples.TenantNotes};
 * the first argument, if any, is the database file (default {@code tenant_notes.db}, deleted at the end).
 */
public final class TenantNotes {

    private TenantNotes() {
    }

    public static void main(String[] args) throws Exception {
        Path database = Path.of(args.length > 0 ? args[0] : "tenant_notes.db");
        try (SQLiteEventStore store = new SQLiteEventStore(database.toString())) {
            EventStore acme = TenantScopedEventStore.of(store, TenantId.of("acme"));
            EventStore globex = TenantScopedEventStore.of(store, TenantId.of("globex"));
            var acmeNotes = new AggregateRepository<>(acme, NoteAggregate::new, "Note");
            var globexNotes = new AggregateRepository<>(globex, NoteAggregate::new, "Note");

            UUID plan = save(acmeNotes, "Q4 plan");
            save(acmeNotes, "Offsite");
            save(globexNotes, "Hiring");

            Map<String, List<String>> titles = new TreeMap<>();
            Map<String, Long> notesPerTenant = new ConcurrentHashMap<>();
            try (SubscriptionManager acmeProjections = manager(acme);
                 SubscriptionManager globexProjections = manager(globex);
                 SubscriptionManager globalProjections = manager(store)) {
                awaitCaughtUp(titles(acmeProjections, "acme", titles));
                awaitCaughtUp(titles(globexProjections, "globex", titles));
                awaitCaughtUp(globalProjections.subscribe("notes-per-tenant",
                        event -> notesPerTenant.merge(event.tenantId(), 1L, Long::sum), SubscriptionOptions.DEFAULTS));
            }
            System.out.println("Titles per tenant: " + titles);
            System.out.println("Notes per tenant:  " + new TreeMap<>(notesPerTenant));
            try {
                globexNotes.load(plan);
            } catch (CrossTenantAccessException refused) {
                System.out.println("globex loading acme's note: refused (owner " + refused.owner() + ")");
            }
        } finally {
            SQLiteEventStore.deleteDatabase(database);
        }
    }

    /** A tenant's projection: subscribed on the tenant's view, so it reads that tenant's events only; named per tenant. */
    private static Subscription titles(SubscriptionManager manager, String tenant, Map<String, List<String>> titles) {
        return manager.subscribe("titles/" + tenant, event -> {
            synchronized (titles) {
                titles.computeIfAbsent(tenant, t -> new java.util.ArrayList<>()).add(((NoteCreated) event.event()).title());
            }
        }, SubscriptionOptions.builder().eventTypes("NoteCreated").build());
    }

    private static SubscriptionManager manager(EventStore store) {
        return SubscriptionManager.builder(store).pollInterval(Duration.ofMillis(20)).build();
    }

    private static UUID save(AggregateRepository<NoteAggregate> notes, String title) {
        NoteAggregate note = notes.createNew(UUID.randomUUID());
        note.create(title, "");
        notes.save(note);
        return note.aggregateId();
    }

    private static void awaitCaughtUp(Subscription subscription) throws InterruptedException {
        if (!subscription.awaitCaughtUp(Duration.ofMinutes(1))) {
            throw new IllegalStateException(subscription.name() + " did not catch up: " + subscription.health());
        }
    }
}
