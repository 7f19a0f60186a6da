package dev.eventsource.cli;

import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.tenant.TenantId;
import picocli.CommandLine.Option;

/** {@code --tenant}: limits a command to one tenant's events (docs/tenancy.md). */
final class TenantOption {

    @Option(names = "--tenant", paramLabel = "TENANT", description = "Only this tenant's events.")
    String tenant;

    /** The tenant asked for, checked; {@code null} when none was. */
    TenantId tenant() {
        if (tenant == null) {
            return null;
        }
        try {
            return TenantId.of(tenant);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitCode.USAGE, "--tenant: " + e.getMessage());
        }
    }

    /** {@code options} filtered to the tenant asked for, if any. */
    ReadOptions.Builder filter(ReadOptions.Builder options) {
        TenantId only = tenant();
        return only == null ? options : options.tenantId(only.value());
    }

    /** Whether a row belongs to the tenant asked for (every row does when none was). */
    boolean includes(RecordedEvent row) {
        return tenant == null || tenant.equals(row.tenantId());
    }
}
