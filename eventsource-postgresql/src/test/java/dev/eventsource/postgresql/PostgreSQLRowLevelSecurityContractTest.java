package dev.eventsource.postgresql;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.tck.TenancyContract;
import dev.eventsource.tenant.TenantId;
import dev.eventsource.tenant.TenantScopedEventStore;
import org.junit.jupiter.api.AfterEach;

/**
 * The whole tenancy suite in row-level-security mode: {@link #store} is the administrative store (it
 * bypasses row-level security and sees every tenant), and every tenant's view is a
 * {@link TenantScopedEventStore} over a store of the application role bound to that tenant, so
 * each view reads and writes through PostgreSQL's policies.
 */
class PostgreSQLRowLevelSecurityContractTest extends TenancyContract {

    private PostgreSQLEventStore app;

    @Override
    protected EventStore newStore(EventRegistry registry) {
        PostgreSQLEventStore admin = RowLevelSecurityFixture.adminStore(registry);
        app = RowLevelSecurityFixture.appStore(admin, registry);
        return admin;
    }

    @Override
    protected EventStore scoped(TenantId tenant) {
        return TenantScopedEventStore.of(app.boundTo(tenant), tenant);
    }

    @AfterEach
    void closeAppStore() {
        if (app != null) {
            app.close();
        }
    }
}
