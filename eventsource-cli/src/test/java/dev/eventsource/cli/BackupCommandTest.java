package dev.eventsource.cli;

import dev.eventsource.store.EventStore;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.StoredEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class BackupCommandTest {

    @TempDir
    Path dir;

    @Test
    void a_backup_taken_while_a_writer_appends_is_the_store_at_one_moment_and_verifies() throws Exception {
        Cli.Fixture shop = Cli.shop(dir);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong appended = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch writing = new CountDownLatch(50);
        Thread writer = new Thread(() -> {
            try (EventStore store = Cli.open(shop.url())) {
                UUID cart = UUID.randomUUID();
                while (!stop.get()) {
                    store.appendEvents(cart, "Cart", List.of(new Cli.ItemAdded("item", BigDecimal.ONE)), ExpectedVersion.ANY);
                    appended.incrementAndGet();
                    writing.countDown();
                }
            } catch (Throwable e) {
                failure.set(e);
                while (writing.getCount() > 0) {
                    writing.countDown();
                }
            }
        });
        writer.start();
        Path backup = dir.resolve("shop-backup.db");
        Cli.Result result;
        try {
            writing.await();
            result = Cli.run("backup", shop.url(), "--to", backup.toString());
        } finally {
            stop.set(true);
            writer.join();
        }
        long afterBackup = appended.get();

        assertThat(failure.get()).as("the writer").isNull();
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("Backed up").contains(backup.toString()).contains("verified");
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).noneMatch(name -> name.contains(".partial-"));
        String backupUrl = "sqlite:" + backup;
        Cli.Result verify = Cli.run("verify", backupUrl);
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        // One moment: the backup holds a prefix of the source's log, at least what was there before it started.
        List<StoredEvent> copied = Cli.events(backupUrl);
        List<StoredEvent> source = Cli.events(shop.url());
        assertThat(copied.size()).isGreaterThanOrEqualTo(5 + 50).isLessThanOrEqualTo((int) (5 + afterBackup));
        assertThat(copied).isEqualTo(source.subList(0, copied.size()));
    }

    @Test
    void an_existing_target_is_refused_unless_forced_and_then_replaced() throws Exception {
        Cli.Fixture shop = Cli.shop(dir);
        Path backup = dir.resolve("backup.db");
        Files.writeString(backup, "an older backup");

        Cli.Result refused = Cli.run("backup", shop.url(), "--to", backup.toString());
        Cli.Result forced = Cli.run("backup", shop.url(), "--to", backup.toString(), "--force");

        assertThat(refused.exitCode()).isEqualTo(ExitCode.USAGE);
        assertOneLine(refused, backup + " exists; pass --force to replace it");
        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(Cli.events("sqlite:" + backup)).isEqualTo(Cli.events(shop.url()));
    }

    @Test
    void hostile_targets_get_one_clear_line_and_nothing_is_written() throws Exception {
        Cli.Fixture shop = Cli.shop(dir);
        Path aDirectory = Files.createDirectory(dir.resolve("backups"));
        Path aFile = Files.writeString(dir.resolve("plain.txt"), "x");

        assertOneLine(Cli.run("backup", shop.url(), "--to", aDirectory.toString()), aDirectory + " is a directory");
        assertOneLine(Cli.run("backup", shop.url(), "--to", shop.file().toString()), "is the store itself");
        assertOneLine(Cli.run("backup", shop.url(), "--to", shop.file().toString(), "--force"), "is the store itself");
        assertOneLine(Cli.run("backup", shop.url(), "--to", dir.resolve("sub/../shop.db").toString(), "--force"),
                "is the store itself");
        assertOneLine(Cli.run("backup", shop.url(), "--to", shop.file() + "-wal"), "a file SQLite keeps beside the store");
        assertOneLine(Cli.run("backup", shop.url(), "--to", dir.resolve("missing/backup.db").toString()),
                "no directory " + dir.resolve("missing"));
        assertOneLine(Cli.run("backup", shop.url(), "--to", aFile.resolve("backup.db").toString()), "no directory " + aFile);
        assertThat(Files.list(aDirectory)).isEmpty();
        assertThat(Files.readString(aFile)).isEqualTo("x");
        assertThat(Cli.run("verify", shop.url()).exitCode()).isZero();
    }

    @Test
    void a_missing_source_and_an_in_memory_store_are_refused() {
        Path target = dir.resolve("backup.db");

        Cli.Result missing = Cli.run("backup", Cli.sqliteUrl(dir, "missing.db"), "--to", target.toString());
        Cli.Result memory = Cli.run("backup", "memory:", "--to", target.toString());

        assertThat(missing.exitCode()).isEqualTo(ExitCode.STORE_UNAVAILABLE);
        assertOneLine(missing, "no SQLite file at");
        assertOneLine(memory, "is not one");
        assertThat(target).doesNotExist();
    }

    @Test
    void a_postgresql_store_gets_the_pg_dump_command_naming_its_tables_without_a_connection() {
        Cli.Result result = Cli.run("backup", "postgresql://app:secret@db.invalid:5432/shop?schema=sales&tablePrefix=es_",
                "--to", dir.resolve("x.dump").toString());

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertOneLine(result, "pg_dump --dbname=DATABASE --table='sales.es_*'");
        assertThat(result.err()).doesNotContain("secret");
        assertThat(BackupCommand.postgresAdvice("postgresql://h/db")).contains("--table='public.eventsource_*'");
    }

    private static void assertOneLine(Cli.Result result, String expected) {
        assertThat(result.exitCode()).as(result.toString()).isNotZero();
        assertThat(result.err().lines().toList()).as(result.toString()).hasSize(1);
        assertThat(result.err()).contains(expected).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
