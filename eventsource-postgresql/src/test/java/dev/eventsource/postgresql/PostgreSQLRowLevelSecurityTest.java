package dev.eventsource.postgresql;

import dev.eventsource.event.EventMetadata;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.StoreNotInitializedException;
import dev.eventsource.store.StoreUnavailableException;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.tck.TckEvent;
import dev.eventsource.tenant.CrossTenantAccessException;
import dev.eventsource.tenant.TenantId;
import dev.eventsource.test.PostgresTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Row-level-security mode refuses cross-tenant access in PostgreSQL itself, below the library:
 * raw SQL on a connection of the application role bound to one tenant reads and writes only that
 * tenant's rows, an unbound one none, and a binding never outlives its transaction, so a pool
 * shared by every tenant never hands one tenant's binding to another.
 */
class PostgreSQLRowLevelSecurityTest {

    private static final String TYPE = "Item";
    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");

    private final EventRegistry registry = new EventRegistry();
    private PostgreSQLEventStore admin;
    private PostgreSQLEventStore app;
    private String events;

    @BeforeEach
    void openStores() {
        admin = RowLevelSecurityFixture.adminStore(registry);
        app = RowLevelSecurityFixture.appStore(admin, registry);
        events = admin.schema() + "." + admin.tablePrefix() + "events";
    }

    @AfterEach
    void closeStores() {
        app.close();
        admin.close();
    }

    private UUID appendAs(TenantId tenant) {
        UUID id = UUID.randomUUID();
        admin.append(id, TYPE, List.of(NewEvent.of(new TckEvent.Created(tenant.value()), EventMetadata.EMPTY.withTenantId(tenant.value()))),
                ExpectedVersion.NO_STREAM);
        return id;
    }

    private static Connection appConnection() throws SQLException {
        Connection c = RowLevelSecurityFixture.appDataSource().getConnection();
        c.setAutoCommit(false);
        return c;
    }

    private List<String> tenantsSeen(Connection c) throws SQLException {
        List<String> tenants = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT tenant_id FROM " + events + " ORDER BY global_position")) {
            while (rs.next()) {
                tenants.add(rs.getString(1));
            }
        }
        return tenants;
    }

    @Test
    void a_raw_select_on_a_connection_bound_to_one_tenant_returns_none_of_another_tenants_events_or_snapshots() throws Exception {
        UUID acmeStream = appendAs(ACME);
        UUID globexStream = appendAs(GLOBEX);
        appendAs(ACME);
        String snapshots = admin.schema() + "." + admin.tablePrefix() + "snapshots";
        for (UUID id : List.of(acmeStream, globexStream)) {
            RowLevelSecurityFixture.admin("INSERT INTO " + snapshots + " VALUES ('" + TYPE + "', '" + id + "', 1, 1, '{}', now())");
        }

        try (Connection c = appConnection()) {
            PostgreSQLTenantBinding.bind(c, ACME);

            assertThat(tenantsSeen(c)).containsExactly("acme", "acme");
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM " + events + " WHERE tenant_id = ? OR aggregate_id = ?")) {
                s.setString(1, "globex");
                s.setObject(2, globexStream);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("globex's rows, asked for by tenant and by stream").isZero();
                }
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT aggregate_id FROM " + snapshots)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getObject(1, UUID.class)).isEqualTo(acmeStream);
                assertThat(rs.next()).as("globex's snapshot").isFalse();
            }
            c.commit();
        }
        assertThat(admin.getEvents(globexStream, TYPE).events()).as("the rows are there for the administrative role").hasSize(1);
    }

    @Test
    void a_raw_insert_of_another_tenants_event_or_of_none_is_refused_by_the_database() throws Exception {
        long before = admin.globalPosition();
        for (String tenant : new String[]{"'globex'", "NULL"}) {
            try (Connection c = appConnection()) {
                PostgreSQLTenantBinding.bind(c, ACME);
                try (Statement s = c.createStatement()) {
                    assertThatThrownBy(() -> s.executeUpdate("INSERT INTO " + events + " (event_id, aggregate_type, aggregate_id,"
                            + " version, event_type, schema_version, occurred_at, recorded_at, tenant_id, metadata, payload)"
                            + " VALUES (gen_random_uuid(), 'Item', gen_random_uuid(), 1, 'Created', 1, now(), now(), " + tenant
                            + ", '{}', '{}')"))
                            .as("insert with tenant %s", tenant)
                            .isInstanceOf(SQLException.class)
                            .hasMessageContaining("row-level security")
                            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
                }
                c.rollback();
            }
        }
        assertThat(admin.globalPosition()).isEqualTo(before);
    }

    @Test
    void an_unbound_connection_of_the_application_role_sees_no_event_and_inserts_none() throws Exception {
        appendAs(ACME);
        appendAs(GLOBEX);

        try (Connection c = RowLevelSecurityFixture.appDataSource().getConnection()) {
            assertThat(tenantsSeen(c)).isEmpty();
        }
        assertThat(app.globalPosition()).as("an unbound application store").isZero();
        try (var all = app.readAll()) {
            assertThat(all).isEmpty();
        }
        assertThatThrownBy(() -> app.append(UUID.randomUUID(), TYPE,
                List.of(NewEvent.of(new TckEvent.Created("x"), EventMetadata.EMPTY.withTenantId("acme"))), ExpectedVersion.ANY))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("row-level security");
    }

    @Test
    void a_bound_store_without_a_view_still_cannot_read_or_write_another_tenant() {
        UUID globexStream = appendAs(GLOBEX);
        appendAs(ACME);
        PostgreSQLEventStore acme = app.boundTo(ACME);

        try (Stream<StoredEvent> all = acme.readAll()) {
            assertThat(all.map(StoredEvent::tenantId)).containsExactly("acme");
        }
        assertThat(acme.getEvents(globexStream, TYPE).events()).isEmpty();
        assertThat(acme.getStreamHead(globexStream, TYPE).tenantId()).as("the owner, for the view's refusal").isEqualTo("globex");
        long before = admin.globalPosition();
        assertThatThrownBy(() -> acme.append(UUID.randomUUID(), TYPE,
                List.of(NewEvent.of(new TckEvent.Created("forged"), EventMetadata.EMPTY.withTenantId("globex"))), ExpectedVersion.ANY))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("row-level security");
        assertThat(admin.globalPosition()).isEqualTo(before);
    }

    @Test
    void a_backend_view_for_a_tenant_refuses_another_tenants_stream_naming_its_owner() {
        UUID globexStream = appendAs(GLOBEX);
        try (PostgreSQLBackend backend = new PostgreSQLBackend(RowLevelSecurityFixture.appStore(admin, registry))) {
            var acme = backend.forTenant(ACME);

            assertThatThrownBy(() -> acme.getEvents(globexStream, TYPE)).isInstanceOf(CrossTenantAccessException.class)
                    .satisfies(e -> assertThat(((CrossTenantAccessException) e).owner()).isEqualTo("globex"));
            assertThatThrownBy(() -> acme.appendEvents(globexStream, TYPE, List.of(new TckEvent.Renamed("mine", 2)), ExpectedVersion.ANY))
                    .isInstanceOf(CrossTenantAccessException.class);
            UUID own = UUID.randomUUID();
            acme.appendEvents(own, TYPE, List.of(new TckEvent.Created("a"), new TckEvent.Renamed("b", 2)), ExpectedVersion.NO_STREAM);
            assertThat(acme.getEvents(own, TYPE).events()).extracting(StoredEvent::tenantId).containsExactly("acme", "acme");
        }
        assertThat(admin.getStreamVersion(globexStream, TYPE)).isEqualTo(1);
    }

    @Test
    void a_binding_ends_with_its_transaction() throws Exception {
        appendAs(ACME);
        try (Connection c = appConnection()) {
            PostgreSQLTenantBinding.bind(c, ACME);
            assertThat(tenantsSeen(c)).hasSize(1);
            c.commit();
            assertThat(tenantsSeen(c)).as("the next transaction on the same connection").isEmpty();
            c.rollback();
            PostgreSQLTenantBinding.bind(c, ACME);
            c.rollback();
            assertThat(tenantsSeen(c)).as("after a rollback").isEmpty();
            c.rollback();
        }
    }

    @Test
    void binding_refuses_a_connection_in_autocommit_mode() throws Exception {
        try (Connection c = RowLevelSecurityFixture.appDataSource().getConnection()) {
            c.setAutoCommit(true);
            assertThatThrownBy(() -> PostgreSQLTenantBinding.bind(c, ACME)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("autocommit").hasMessageContaining("setAutoCommit(false)");
        }
    }

    @Test
    void a_store_is_bound_only_in_row_level_security_mode() {
        try (PostgreSQLEventStore plain = PostgreSQLEventStore.builder(PostgresTestServer.dataSource())
                .schema(admin.schema()).eventRegistry(registry).build()) {
            assertThatThrownBy(() -> plain.boundTo(ACME)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("rowLevelSecurity(true)");
        }
    }

    @Test
    void row_level_security_mode_refuses_tables_without_it_and_a_role_that_cannot_set_it_up() {
        String schema = PostgresTestServer.freshSchema();
        try (PostgreSQLEventStore plain = PostgreSQLEventStore.builder(PostgresTestServer.dataSource()).schema(schema)
                .eventRegistry(registry).build()) {
            plain.initialize();
        }
        RowLevelSecurityFixture.grantApplicationRole(schema, PostgreSQLEventStore.DEFAULT_TABLE_PREFIX);
        try (PostgreSQLEventStore appStore = PostgreSQLEventStore.builder(RowLevelSecurityFixture.appDataSource()).schema(schema)
                .rowLevelSecurity(true).eventRegistry(registry).build()) {
            assertThatThrownBy(appStore::initialize).isInstanceOf(StoreNotInitializedException.class)
                    .hasMessageContaining("not under row-level security").hasMessageContaining("BYPASSRLS");
            assertThatThrownBy(() -> appStore.boundTo(ACME).readAll().count()).isInstanceOf(StoreNotInitializedException.class);
        }
    }

    @Test
    void the_rendered_row_level_security_sql_names_the_schema_and_prefix_and_forces_the_policies() {
        String sql = PostgreSQLEventStore.rowLevelSecuritySql("events", "es_");

        assertThat(sql).contains("ALTER TABLE events.es_events FORCE ROW LEVEL SECURITY")
                .contains("ALTER TABLE events.es_snapshots FORCE ROW LEVEL SECURITY")
                .contains("current_setting('" + PostgreSQLTenantBinding.SETTING + "', true)")
                .doesNotContain("${");
        assertThatThrownBy(() -> PostgreSQLEventStore.rowLevelSecuritySql("Events; DROP", "es_"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Threads acting for random tenants through one small pool of the application role, so that
     * every connection serves many tenants in turn: each bound read sees its own tenant's rows and
     * all of them, and an unbound connection taken from the same pool between them sees nothing (no
     * binding outlived its transaction).
     */
    @Test
    void a_pool_shared_by_tenants_never_carries_one_tenants_binding_to_another() throws Exception {
        List<TenantId> tenants = List.of(ACME, GLOBEX, TenantId.of("initech"), TenantId.of("umbrella"));
        DataSource pool = RowLevelSecurityFixture.appDataSource();
        ConcurrentHashMap<String, AtomicLong> written = new ConcurrentHashMap<>();
        Set<String> violations = ConcurrentHashMap.newKeySet();
        int threads = 8;
        int operations = 60;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = 31L * t + 7;
                done.add(executor.submit(() -> {
                    Random random = new Random(seed);
                    start.await();
                    for (int op = 0; op < operations; op++) {
                        TenantId tenant = tenants.get(random.nextInt(tenants.size()));
                        PostgreSQLEventStore bound = app.boundTo(tenant);
                        switch (random.nextInt(3)) {
                            case 0 -> {
                                bound.append(UUID.randomUUID(), TYPE, List.of(NewEvent.of(new TckEvent.Created(tenant.value()),
                                        EventMetadata.EMPTY.withTenantId(tenant.value()))), ExpectedVersion.NO_STREAM);
                                written.computeIfAbsent(tenant.value(), k -> new AtomicLong()).incrementAndGet();
                            }
                            case 1 -> {
                                try (Stream<StoredEvent> all = bound.readAll()) {
                                    all.forEach(e -> {
                                        if (!tenant.value().equals(e.tenantId())) {
                                            violations.add(tenant.value() + " read an event of " + e.tenantId());
                                        }
                                    });
                                }
                            }
                            default -> {
                                try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                                     ResultSet rs = s.executeQuery("SELECT count(*), current_setting('"
                                             + PostgreSQLTenantBinding.SETTING + "', true) FROM " + events)) {
                                    rs.next();
                                    if (rs.getLong(1) != 0) {
                                        violations.add("an unbound pooled connection saw " + rs.getLong(1) + " events, bound to '"
                                                + rs.getString(2) + "'");
                                    }
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            executor.shutdownNow();
        }

        assertThat(violations).isEmpty();
        assertThat(written).as("every tenant wrote").hasSize(tenants.size());
        for (TenantId tenant : tenants) {
            try (Stream<StoredEvent> all = app.boundTo(tenant).readAll()) {
                assertThat(all.map(StoredEvent::tenantId).distinct().toList()).containsExactly(tenant.value());
            }
            try (Stream<StoredEvent> all = app.boundTo(tenant).readAll()) {
                assertThat(all.count()).isEqualTo(written.get(tenant.value()).get());
            }
        }
    }
}
