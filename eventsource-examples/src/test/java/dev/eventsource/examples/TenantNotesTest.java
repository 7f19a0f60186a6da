package dev.eventsource.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class TenantNotesTest {

    @TempDir
    Path dir;

    @Test
    void each_tenant_sees_its_own_notes_a_global_projection_sees_all_and_a_cross_tenant_load_is_refused() throws Exception {
        Path db = dir.resolve("tenants.db");

        String output = Console.output(() -> TenantNotes.main(new String[] {db.toString()}));

        assertThat(output).isEqualTo(String.join(System.lineSeparator(),
                "Titles per tenant: {acme=[Q4 plan, Offsite], globex=[Hiring]}",
                "Notes per tenant:  {acme=2, globex=1}",
                "globex loading acme's note: refused (owner acme)", ""));
        assertThat(Files.exists(db)).isFalse();
    }
}
