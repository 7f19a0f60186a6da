package dev.eventsource.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventsource.event.EventMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --tenant} on the reading commands: one tenant's events, and a stream of another tenant refused. */
class TenantOptionTest {

    @TempDir
    Path dir;

    private record Store(String url, UUID acmeCart, UUID globexCart) {
    }

    private Store twoTenants() {
        String url = Cli.sqliteUrl(dir, "tenants.db");
        UUID acme = UUID.randomUUID();
        UUID globex = UUID.randomUUID();
        Cli.appendWithMetadata(url, acme, "Cart", EventMetadata.EMPTY.withTenantId("acme"), new Cli.ItemAdded("pen", BigDecimal.ONE));
        Cli.appendWithMetadata(url, globex, "Cart", EventMetadata.EMPTY.withTenantId("globex"), new Cli.ItemAdded("ink", BigDecimal.TEN));
        Cli.append(url, UUID.randomUUID(), "Cart", new Cli.ItemAdded("untenanted", BigDecimal.ZERO));
        return new Store(url, acme, globex);
    }

    @Test
    void export_streams_stats_and_tail_keep_one_tenant() throws Exception {
        Store store = twoTenants();
        Path out = dir.resolve("acme.jsonl");

        Cli.Result export = Cli.run("export", store.url(), "--out", out.toString(), "--tenant", "acme", "-q");
        Cli.Result streams = Cli.run("streams", store.url(), "--tenant", "acme");
        Cli.Result stats = Cli.run("stats", store.url(), "--tenant", "globex", "--json");
        Cli.Result tail = Cli.run("tail", store.url(), "--from-position", "0", "--tenant", "globex", "--max-events", "1",
                "--timeout", "5s", "--json", "-q");

        assertThat(export.exitCode()).as(export.toString()).isZero();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).singleElement().asString().contains("\"tenantId\":\"acme\"").contains(store.acmeCart().toString());
        assertThat(streams.out()).contains(store.acmeCart().toString()).doesNotContain(store.globexCart().toString())
                .contains("1 stream");
        JsonNode json = EventJson.MAPPER.readTree(stats.out());
        assertThat(json.get("events").asLong()).as(stats.toString()).isEqualTo(1);
        assertThat(tail.out()).contains(store.globexCart().toString()).doesNotContain(store.acmeCart().toString());
    }

    @Test
    void import_with_a_tenant_takes_that_tenants_lines_only() throws Exception {
        Store store = twoTenants();
        Path all = dir.resolve("all.jsonl");
        assertThat(Cli.run("export", store.url(), "--out", all.toString(), "-q").exitCode()).isZero();
        String target = Cli.sqliteUrl(dir, "globex-only.db");

        Cli.Result imported = Cli.run("import", target, "--in", all.toString(), "--tenant", "globex", "-q");
        Cli.Result malformed = Cli.run("import", Cli.sqliteUrl(dir, "never.db"), "--in", all.toString(), "--tenant", "");

        assertThat(imported.exitCode()).as(imported.toString()).isZero();
        assertThat(imported.out()).contains("1 events written").contains("2 of other tenants left out");
        assertThat(Cli.events(target)).singleElement().satisfies(e -> assertThat(e.metadata().tenantId()).isEqualTo("globex"));
        assertThat(malformed.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(dir.resolve("never.db")).doesNotExist();
    }

    @Test
    void events_refuses_a_stream_of_another_tenant_naming_both_and_a_malformed_tenant_is_a_usage_error() {
        Store store = twoTenants();

        Cli.Result mine = Cli.run("events", store.url(), "Cart", store.acmeCart().toString(), "--tenant", "acme");
        Cli.Result theirs = Cli.run("events", store.url(), "Cart", store.globexCart().toString(), "--tenant", "acme");
        Cli.Result blank = Cli.run("streams", store.url(), "--tenant", " acme");

        assertThat(mine.exitCode()).as(mine.toString()).isZero();
        assertThat(theirs.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(theirs.err()).contains("belongs to tenant 'globex', not to tenant 'acme'");
        assertThat(blank.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(blank.err()).contains("--tenant").contains("leading or trailing blanks");
    }
}
