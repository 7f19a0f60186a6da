package dev.eventsource.sqlite.internal;

import dev.eventsource.sqlite.SQLiteEventStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

class NetworkFilesystemWarningTest {

    @TempDir
    Path dir;

    @Test
    void network_file_system_types_are_recognised_and_local_ones_are_not() {
        assertThat(Connections.networkFilesystem("nfs4")).isEqualTo("nfs4");
        assertThat(Connections.networkFilesystem("NFS")).isEqualTo("nfs");
        assertThat(Connections.networkFilesystem("cifs")).isEqualTo("cifs");
        assertThat(Connections.networkFilesystem("fuse.sshfs")).isEqualTo("fuse.sshfs");
        assertThat(Connections.networkFilesystem("9p")).isEqualTo("9p");
        for (String local : new String[] {"ext4", "xfs", "btrfs", "tmpfs", "overlay", "apfs", "NTFS", "zfs", "", null}) {
            assertThat(Connections.networkFilesystem(local)).as(local).isNull();
        }
    }

    @Test
    void a_store_on_this_machines_temporary_folder_opens_without_the_warning() throws Exception {
        String type = Files.getFileStore(dir).type();
        assertThat(Connections.networkFilesystem(type)).as("the test folder's file system, %s, is local", type).isNull();
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(Connections.class.getName());
        logger.addHandler(capture);
        try (SQLiteEventStore store = new SQLiteEventStore(dir.resolve("sub/events.db").toString())) {
            Files.createDirectories(dir.resolve("sub"));
            store.initialize();
        } finally {
            logger.removeHandler(capture);
        }
        assertThat(records).noneMatch(r -> String.valueOf(r.getMessage()).contains("network file system"));
    }
}
