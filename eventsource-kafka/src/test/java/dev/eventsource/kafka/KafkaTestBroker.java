package dev.eventsource.kafka;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Kafka broker for tests: one KRaft node (broker and controller) in this JVM, listening on
 * 127.0.0.1 on free ports, with replication factor 1 for its internal topics and no initial
 * rebalance delay; or, when the environment variable {@value #ENV} is set, the external broker it
 * names (bootstrap servers), which the suite then never stops.
 *
 * <p>{@link #shared()} is the one broker of the test JVM, started on first use and stopped at JVM
 * exit; tests keep apart by fresh topic names and group prefixes ({@link #uniqueName(String)}).
 * {@link #startDedicated()} starts a broker of its own, for a test that stops and restarts it
 * ({@link #stop()}, {@link #restart()}: same ports, same data) to see what clients do while it is down.
 *
 * <p>Other modules use it through this module's test-jar: depend on {@code eventsource-kafka}
 * with {@code <type>test-jar</type>} and {@code org.apache.kafka:kafka_2.13}, both in test scope.
 */
public final class KafkaTestBroker implements AutoCloseable {

    /** The environment variable naming an external broker's bootstrap servers, e.g. {@code localhost:9092}. */
    public static final String ENV = "EVENTSOURCE_TEST_KAFKA_BOOTSTRAP";

    private static KafkaTestBroker shared;

    private final Path dir;
    private final String external;
    private int brokerPort;
    private int controllerPort;
    private KafkaRaftServer server;

    private KafkaTestBroker(Path dir, String external) {
        this.dir = dir;
        this.external = external;
    }

    /** The broker shared by every test of this JVM: the external one of {@value #ENV}, else one started here. */
    public static synchronized KafkaTestBroker shared() {
        if (shared == null) {
            String external = System.getenv(ENV);
            if (external != null && !external.isBlank()) {
                shared = new KafkaTestBroker(null, external.strip());
            } else {
                shared = startDedicated();
                KafkaTestBroker started = shared;
                Runtime.getRuntime().addShutdownHook(new Thread(started::close, "kafka-test-broker-stop"));
            }
        }
        return shared;
    }

    /** A new in-JVM broker of the caller's own, always started here (never the external one). */
    public static KafkaTestBroker startDedicated() {
        Path dir;
        try {
            dir = Files.createTempDirectory("eventsource-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KafkaTestBroker broker = new KafkaTestBroker(dir, null);
        broker.format();
        broker.startWithRetries();
        return broker;
    }

    /** A name no other test uses: {@code prefix} plus a random suffix, legal as a Kafka topic or group. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The bootstrap servers to give clients. */
    public String bootstrapServers() {
        return external != null ? external : "127.0.0.1:" + brokerPort;
    }

    /** Whether this is the external broker of {@value #ENV}. */
    public boolean isExternal() {
        return external != null;
    }

    /** Stops the in-JVM broker, keeping its data and ports for {@link #restart()}. */
    public synchronized void stop() {
        requireOwn("stop");
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    /** Starts a stopped in-JVM broker again on the same ports with the same data, and waits until it answers. */
    public synchronized void restart() {
        requireOwn("restart");
        if (server == null) {
            start();
        }
    }

    @Override
    public synchronized void close() {
        if (external != null) {
            return;
        }
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory; the OS cleans it eventually
        }
    }

    private void requireOwn(String what) {
        if (external != null) {
            throw new IllegalStateException("cannot " + what + " the external broker of " + ENV + "; use startDedicated()");
        }
    }

    private void format() {
        for (int attempt = 0; ; attempt++) {
            brokerPort = freePort();
            controllerPort = freePort();
            if (brokerPort != controllerPort) {
                break;
            }
        }
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(java.util.List.of(logDir()))
                    .setMetadataLogDirectory(logDir())
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setControllerListenerName("CONTROLLER")
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format the test broker's log directory " + logDir() + ": " + e, e);
        }
    }

    private void startWithRetries() {
        for (int attempt = 1; ; attempt++) {
            try {
                start();
                return;
            } catch (RuntimeException e) {
                // a port taken between picking it and binding it: pick others
                if (attempt >= 3) {
                    throw e;
                }
                stopQuietly();
                brokerPort = freePort();
                controllerPort = freePort();
            }
        }
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException ignored) {
            server = null;
        }
    }

    private void start() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir());
        p.put("metadata.log.dir", logDir());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "4");
        p.put("auto.create.topics.enable", "true");
        p.put("log.cleaner.backoff.ms", "1000");
        p.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        KafkaRaftServer s = new KafkaRaftServer(new KafkaConfig(p, false), Time.SYSTEM);
        s.startup();
        server = s;
        awaitReady();
    }

    private void awaitReady() {
        Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60000);
        try (Admin admin = Admin.create(config)) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the test broker at " + bootstrapServers() + " did not answer: " + e, e);
        }
    }

    private String logDir() {
        return dir.resolve("data").toString();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
