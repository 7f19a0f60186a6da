package dev.eventsource.kafka.internal;

import dev.eventsource.bus.BusUnavailableException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Creates missing topics once per name; a topic that exists is left as it is. */
public final class TopicAdmin {

    private final String bootstrapServers;
    private final Map<String, Object> extra;
    private final Duration timeout;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    public TopicAdmin(String bootstrapServers, Map<String, Object> extra, Duration timeout) {
        this.bootstrapServers = bootstrapServers;
        this.extra = extra;
        this.timeout = timeout;
    }

    /**
     * Creates those of {@code topics} that do not exist yet.
     *
     * @throws BusUnavailableException if the broker does not answer within the timeout
     */
    public void ensure(Collection<String> topics, int partitions, short replicationFactor, Map<String, String> configs) {
        List<NewTopic> missing = topics.stream().filter(t -> !known.contains(t))
                .map(t -> new NewTopic(t, partitions, replicationFactor).configs(configs)).toList();
        if (missing.isEmpty()) {
            return;
        }
        Map<String, Object> config = new HashMap<>();
        extra.forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k)) {
                config.put(k, v);
            }
        });
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000));
        try (Admin admin = Admin.create(config)) {
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new BusUnavailableException(bootstrapServers, "cannot create the topic " + entry.getKey()
                                + " on " + bootstrapServers + ": " + e.getCause()
                                + "; create it yourself or check the broker", e.getCause());
                    }
                }
            }
            awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
            missing.forEach(t -> known.add(t.name()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusUnavailableException(bootstrapServers, "interrupted while creating topics " + missing, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new BusUnavailableException(bootstrapServers, "the broker at " + bootstrapServers + " did not create the"
                    + " topics " + missing + " within " + timeout + "; is it running?", e);
        }
    }

    /**
     * Whether the leader of every partition answers a request meant for the leader: the controller
     * names a leader a moment before that broker acts as one, and an idempotent producer whose first
     * batch meets that moment while a later batch does not would retry the first out of order for ever.
     */
    private boolean leadersAnswer(Admin admin, List<String> topics) throws InterruptedException,
            java.util.concurrent.TimeoutException {
        try {
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
            for (var d : admin.describeTopics(topics).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS).values()) {
                d.partitions().forEach(p -> latest.put(new org.apache.kafka.common.TopicPartition(d.name(), p.partition()),
                        org.apache.kafka.clients.admin.OffsetSpec.latest()));
            }
            admin.listOffsets(latest).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            return false;
        }
    }

    /**
     * Waits until every partition of {@code topics} has a leader: a client that sends to a
     * partition created a moment ago would otherwise meet a broker that does not lead it yet.
     */
    private void awaitLeaders(Admin admin, List<String> topics) throws InterruptedException,
            java.util.concurrent.TimeoutException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                boolean ready = admin.describeTopics(topics).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .values().stream().allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null
                                && !p.leader().isEmpty()));
                if (ready && leadersAnswer(admin, topics)) {
                    return;
                }
            } catch (ExecutionException e) {
                // not visible yet: ask again
            }
            if (System.nanoTime() > end) {
                throw new java.util.concurrent.TimeoutException("partitions of " + topics + " have no leader");
            }
            Thread.sleep(20);
        }
    }
}
