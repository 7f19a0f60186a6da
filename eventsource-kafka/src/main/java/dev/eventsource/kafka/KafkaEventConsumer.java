package dev.eventsource.kafka;

import dev.eventsource.bus.BusCapability;
import dev.eventsource.bus.BusDeadLetter;
import dev.eventsource.bus.BusDeadLetters;
import dev.eventsource.bus.BusShutdownReport;
import dev.eventsource.bus.BusStats;
import dev.eventsource.bus.BusSubscription;
import dev.eventsource.bus.ConsumerGroup;
import dev.eventsource.bus.EventBusClosedException;
import dev.eventsource.bus.EventConsumer;
import dev.eventsource.bus.EventHandler;
import dev.eventsource.bus.EventSelector;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.event.UnknownEventTypeException;
import dev.eventsource.kafka.internal.DeadLetterTopic;
import dev.eventsource.kafka.internal.TopicAdmin;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.telemetry.LogContext;
import dev.eventsource.store.spi.EventMapper;
import dev.eventsource.wire.EventDocument;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Consumes events from Kafka into {@link ConsumerGroup}s, with dead letters in a compacted topic.
 *
 * <p><b>Groups and members.</b> A {@link ConsumerGroup} is the Kafka consumer group
 * {@link KafkaBusConfig#groupIdPrefix()} + its name. Each {@link #subscribe} is one member: its own
 * {@code KafkaConsumer} on its own thread, reading the topics of {@link KafkaBusConfig#consumedTopics()}.
 * Members of one group, in this process or others, share the partitions (competing consumers: scale
 * out by partitions); an aggregate's events are in one partition, so one member handles them, one
 * at a time, in order. {@code subscribe} returns once the member has its first assignment (or after
 * {@link KafkaBusConfig#assignmentTimeout()}); a group that had no committed offsets starts at the
 * end of each partition at that moment, so it receives what is published after {@code subscribe}
 * returned, and the past is in the store. A group's offsets outlive its members
 * ({@link BusCapability#DURABLE_GROUPS}).
 *
 * <p><b>Delivery.</b> Each message is decoded (its value is an {@link EventDocument}) through the
 * registry, filtered by the group's selector, and handed to the handler, retried per the group's
 * {@link dev.eventsource.subscription.RetryPolicy} (the backoff holds up the member's partitions
 * only), then dead-lettered; an error the policy calls permanent is dead-lettered at once. A partition's offset is committed only past messages that were handled
 * or dead-lettered: after each poll's batch, when partitions are revoked in a rebalance, and when a
 * member stops. A member that stops (or crashes) before committing leaves its messages to the next
 * owner of the partition: at-least-once, so handlers de-duplicate on the event id.
 *
 * <p><b>Messages that are not events.</b> A message whose value is not UTF-8 JSON, not an event
 * document, or of an event type the registry does not know, is dead-lettered with the reason as a
 * {@link BusDeadLetter} whose {@link BusDeadLetter#undecodable()} holds its bytes, and the member goes
 * on. (A group that selects one type name skips such a message when its type header names another
 * type.) Replaying it decodes it again, e.g. after the type was registered.
 *
 * <p><b>Dead letters</b> live in {@link KafkaBusConfig#deadLetterTopic()}, one entry per group and
 * event (key {@code group:eventId}), so they outlive the members and the process; {@link #replay}
 * hands an entry to a live member of its group in this consumer, which delivers it with the full retry
 * budget and removes the entry once handled, or writes it back under the same id with the attempts
 * added up.
 *
 * <p><b>Shutdown</b> stops the members after they handled every message that was in their
 * partitions when it started (up to the deadline), commits, and leaves the groups. At the deadline
 * it interrupts handlers still running and reports their message and the rest of their batch as
 * undelivered; those are not committed, so the group's next member gets them. A handler that
 * ignores the interrupt holds up its group's rebalances until Kafka's {@code max.poll.interval.ms}.
 *
 * <p>Refused: a null group or handler ({@link NullPointerException}); a member whose group differs
 * from the group's live members in this consumer ({@link IllegalArgumentException}: members in other
 * processes cannot be checked, so configure them alike); subscribe or replay after shutdown
 * ({@link EventBusClosedException}), and discard after shutdown too (the dead-letter topic's
 * writer is closed); replaying an entry whose group has no live member here
 * ({@link IllegalStateException}). Thread-safe.
 */
public final class KafkaEventConsumer implements EventConsumer, BusDeadLetters {

    private static final System.Logger LOG = System.getLogger(KafkaEventConsumer.class.getName());

    private final KafkaBusConfig config;
    private final EventMapper mapper;
    private final TopicAdmin admin;
    private final DeadLetterTopic deadLetterTopic;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Member> members = new CopyOnWriteArrayList<>();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private volatile boolean closed;

    /**
     * A consumer of the broker of {@code config}, decoding with {@code registry}. It reads the
     * dead-letter topic at once (creating it when missing).
     *
     * @throws NullPointerException                     if an argument is null
     * @throws dev.eventsource.bus.BusUnavailableException if the dead-letter topic cannot be created
     */
    public KafkaEventConsumer(KafkaBusConfig config, EventRegistry registry) {
        this.config = Objects.requireNonNull(config, "config");
        this.mapper = new EventMapper(Objects.requireNonNull(registry, "registry"));
        this.admin = new TopicAdmin(config.bootstrapServers(), config.consumerProperties(), config.assignmentTimeout());
        this.deadLetterTopic = new DeadLetterTopic(config.bootstrapServers(), config.deadLetterTopic(), mapper,
                config.deliveryTimeout(), config.producerProperties(), config.consumerProperties(), admin);
    }

    /** The configuration this consumer was built with. */
    public KafkaBusConfig config() {
        return config;
    }

    @Override
    public BusSubscription subscribe(ConsumerGroup group, EventHandler<DomainEvent> handler) {
        Objects.requireNonNull(group, "group must not be null");
        Objects.requireNonNull(handler, "handler must not be null");
        Member member;
        lock.lock();
        try {
            if (closed) {
                throw new EventBusClosedException(toString());
            }
            for (Member m : members) {
                if (m.isActive() && m.group.name().equals(group.name()) && !m.group.equals(group)) {
                    throw new IllegalArgumentException("consumer group '" + group.name() + "' has live members with "
                            + m.group + "; every member of a group must subscribe with the same selector and retry"
                            + " policy, got " + group);
                }
            }
            if (config.partitions() > 0) {
                admin.ensure(config.consumedTopics(), config.partitions(), config.replicationFactor(), Map.of());
            }
            member = new Member(group, handler);
            members.add(member);
            member.thread.start();
        } finally {
            lock.unlock();
        }
        member.awaitAssignment();
        return member;
    }

    @Override
    public Set<BusCapability> capabilities() {
        return EnumSet.of(BusCapability.DURABLE_GROUPS);
    }

    /** The group's entries, as of the last shutdown once this consumer is shut down. */
    @Override
    public List<BusDeadLetter> deadLetters(String group) {
        return deadLetterTopic.list(group);
    }

    @Override
    public boolean replay(String id) {
        if (closed) {
            throw new EventBusClosedException(toString());
        }
        BusDeadLetter letter = deadLetterTopic.get(id);
        if (letter == null) {
            return false;
        }
        Member target = members.stream().filter(m -> m.isActive() && m.group.name().equals(letter.group())).findFirst()
                .orElseThrow(() -> new IllegalStateException("dead letter " + id + " belongs to group '" + letter.group()
                        + "', which has no live member in " + this + "; subscribe a member first, then replay"));
        target.replays.add(letter);
        return true;
    }

    @Override
    public boolean discard(String id) {
        if (closed) {
            throw new EventBusClosedException(toString());
        }
        if (deadLetterTopic.get(id) == null) {
            return false;
        }
        deadLetterTopic.remove(id);
        return true;
    }

    @Override
    public BusStats stats() {
        long pending = 0;
        int subscribers = 0;
        for (Member m : members) {
            pending += m.pending();
            subscribers += m.isActive() ? 1 : 0;
        }
        return new BusStats(0, delivered.get(), failed.get(), deadLettered.get(), pending, subscribers);
    }

    @Override
    public BusShutdownReport shutdown(Duration deadline) {
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative()) {
            throw new IllegalArgumentException("deadline must not be negative; got " + deadline);
        }
        lock.lock();
        try {
            if (closed) {
                return BusShutdownReport.COMPLETE;
            }
            closed = true;
        } finally {
            lock.unlock();
        }
        long end = System.nanoTime() + deadline.toNanos();
        members.forEach(m -> m.draining = true);
        List<BusShutdownReport.Undelivered> undelivered = new ArrayList<>();
        for (Member m : members) {
            m.join(end);
            undelivered.addAll(m.abandonIfRunning());
        }
        deadLetterTopic.close();
        if (!undelivered.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, this + " shut down with " + undelivered.size()
                    + " deliveries unfinished; they stay uncommitted for the group's next member");
        }
        return new BusShutdownReport(undelivered);
    }

    @Override
    public String toString() {
        return "KafkaEventConsumer[" + config.bootstrapServers() + " " + config.consumedTopics() + "]";
    }

    // ---- decoding ----

    /** A message and what it decoded to: an event, or why it is not one. */
    private record Item(ConsumerRecord<String, byte[]> record, StoredEvent event, String problem) {
        TopicPartition partition() {
            return new TopicPartition(record.topic(), record.partition());
        }

        String source() {
            return record.topic() + "-" + record.partition() + "@" + record.offset();
        }
    }

    private Item decode(ConsumerRecord<String, byte[]> r) {
        String problem;
        try {
            if (r.value() == null) {
                problem = "a message without a value is not an event";
            } else {
                return new Item(r, decodeValue(r.value()), null);
            }
        } catch (UndecodableException e) {
            problem = e.getMessage();
        }
        return new Item(r, null, "cannot decode the message at " + r.topic() + "-" + r.partition() + "@" + r.offset()
                + ": " + problem);
    }

    private StoredEvent decodeValue(byte[] value) throws UndecodableException {
        try {
            return mapper.toStoredEvent(EventDocument.decode(value));
        } catch (IllegalArgumentException e) {
            throw new UndecodableException("not an event document (" + e.getMessage() + ")");
        } catch (UnknownEventTypeException e) {
            throw new UndecodableException("unknown event type: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new UndecodableException(e.toString());
        }
    }

    private static final class UndecodableException extends Exception {
        UndecodableException(String message) {
            super(message, null, false, false);
        }
    }

    /** Whether a group receives the message: an undecodable one as its headers say; see {@link #mayBeSelected}. */
    private static boolean selects(ConsumerGroup group, Item item) {
        if (item.event != null) {
            return group.selector().matches(item.event);
        }
        return mayBeSelected(group.selector(), item.record.headers());
    }

    /**
     * Whether an undecodable message (dead-lettered by the groups that receive it) is one for
     * {@code selector}: unless its type header rules it out, and, for a group of one tenant, only
     * with that tenant's header, so no tenant's dead letters hold a message that may be another's.
     */
    private static boolean mayBeSelected(EventSelector selector, Headers headers) {
        if (selector instanceof EventSelector.OfTenant ofTenant) {
            Header tenant = headers.lastHeader(KafkaHeaders.TENANT_ID);
            return tenant != null && ofTenant.tenant().value().equals(new String(tenant.value(), StandardCharsets.UTF_8))
                    && mayBeSelected(ofTenant.within(), headers);
        }
        if (selector instanceof EventSelector.OfType ofType) {
            Header type = headers.lastHeader(KafkaHeaders.EVENT_TYPE);
            return type == null || ofType.eventType().equals(new String(type.value(), StandardCharsets.UTF_8));
        }
        return true;
    }

    /** The member's stop was abandoned at the deadline: unwind without counting or committing. */
    private static final class Abandoned extends RuntimeException {
        Abandoned() {
            super(null, null, false, false);
        }
    }

    // ---- a member ----

    private final class Member implements BusSubscription, Runnable, ConsumerRebalanceListener {
        final ConsumerGroup group;
        final EventHandler<DomainEvent> handler;
        final KafkaConsumer<String, byte[]> consumer;
        final Thread thread;
        final CountDownLatch assigned = new CountDownLatch(1);
        final CountDownLatch finished = new CountDownLatch(1);
        final ConcurrentLinkedQueue<BusDeadLetter> replays = new ConcurrentLinkedQueue<>();
        /** Handled or dead-lettered, not committed yet; member thread only. */
        final Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        /** The batch's items not finished yet, in order; guarded by {@code inHandLock}. */
        final LinkedHashMap<Item, Boolean> inHand = new LinkedHashMap<>();
        final ReentrantLock inHandLock = new ReentrantLock();
        volatile boolean stopping;
        volatile boolean draining;
        volatile boolean abandoned;
        volatile boolean active = true;
        Map<TopicPartition, Long> drainTo;

        Member(ConsumerGroup group, EventHandler<DomainEvent> handler) {
            this.group = group;
            this.handler = handler;
            Map<String, Object> c = new HashMap<>();
            c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1000);
            c.putAll(config.consumerProperties());
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
            c.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupIdPrefix() + group.name());
            c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
            this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
            this.thread = new Thread(this, "eventsource-kafka-" + group.name());
            thread.setDaemon(true);
        }

        @Override
        public ConsumerGroup group() {
            return group;
        }

        @Override
        public boolean isActive() {
            return active;
        }

        long pending() {
            inHandLock.lock();
            try {
                return inHand.size();
            } finally {
                inHandLock.unlock();
            }
        }

        void awaitAssignment() {
            try {
                if (!assigned.await(config.assignmentTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.log(System.Logger.Level.WARNING, "member of group '" + group.name() + "' has no partitions after "
                            + config.assignmentTimeout() + "; it goes on waiting in the background");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void unsubscribe() {
            if (!active) {
                return;
            }
            active = false;
            stopping = true;
            if (Thread.currentThread() != thread) {
                try {
                    finished.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            members.remove(this);
        }

        void join(long endNanos) {
            try {
                finished.await(Math.max(0, endNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** At the deadline: stops a member still running and returns what it had not finished. */
        List<BusShutdownReport.Undelivered> abandonIfRunning() {
            active = false;
            if (finished.getCount() == 0) {
                return List.of();
            }
            List<BusShutdownReport.Undelivered> undone = new ArrayList<>();
            inHandLock.lock();
            try {
                abandoned = true;
                for (Item item : inHand.keySet()) {
                    if (item.event != null && group.selector().matches(item.event)) {
                        undone.add(new BusShutdownReport.Undelivered(group.name(), item.event));
                    }
                }
            } finally {
                inHandLock.unlock();
            }
            thread.interrupt();
            return undone;
        }

        @Override
        public void run() {
            try {
                consumer.subscribe(config.consumedTopics(), this);
                while (!stopping && !abandoned) {
                    ConsumerRecords<String, byte[]> records;
                    try {
                        if (draining && drained()) {
                            break;
                        }
                        records = consumer.poll(config.pollTimeout());
                    } catch (InterruptException e) {
                        throw e;
                    } catch (KafkaException e) {
                        // the broker is away or a rebalance call timed out: the member waits and polls again
                        LOG.log(System.Logger.Level.WARNING, "member of group '" + group.name() + "' polls again after: " + e);
                        pause(1000);
                        continue;
                    }
                    runReplays();
                    List<Item> batch = new ArrayList<>(records.count());
                    for (ConsumerRecord<String, byte[]> r : records) {
                        batch.add(decode(r));
                    }
                    inHandLock.lock();
                    try {
                        batch.forEach(i -> inHand.put(i, Boolean.TRUE));
                    } finally {
                        inHandLock.unlock();
                    }
                    process(batch);
                    commitDone();
                }
            } catch (Abandoned | InterruptException e) {
                // stopped at the shutdown deadline
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.ERROR, "member of group '" + group.name() + "' stopped: " + e, e);
            } finally {
                try {
                    Thread.interrupted();
                    commitDone();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "final commit of group '" + group.name() + "' failed: " + e);
                }
                try {
                    Thread.interrupted();
                    consumer.close(Duration.ofSeconds(5));
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "closing the consumer of group '" + group.name() + "' failed: " + e);
                }
                inHandLock.lock();
                try {
                    inHand.clear();
                } finally {
                    inHandLock.unlock();
                }
                active = false;
                members.remove(this);
                assigned.countDown();
                finished.countDown();
            }
        }

        private boolean drained() {
            Set<TopicPartition> assignment = consumer.assignment();
            if (drainTo == null) {
                drainTo = consumer.endOffsets(assignment);
            }
            for (TopicPartition tp : assignment) {
                Long target = drainTo.get(tp);
                if (target == null) {
                    drainTo.putAll(consumer.endOffsets(List.of(tp)));
                    target = drainTo.get(tp);
                }
                if (consumer.position(tp) < target) {
                    return false;
                }
            }
            return true;
        }

        private void process(List<Item> batch) {
            for (int i = 0; i < batch.size(); i++) {
                Item item = batch.get(i);
                if (stopping || abandoned) {
                    return;   // not committed: the partition's next owner gets the rest
                }
                try {
                    if (selects(group, item)) {
                        if (item.event != null) {
                            deliver(item.event, 0, group.name() + ":" + item.event.eventId(), item);
                        } else {
                            deadLetter(group.name() + ":" + item.source(), item.problem, 1, item.source(),
                                    item.record.key(), item.record.value());
                            LOG.log(System.Logger.Level.WARNING, "group '" + group.name() + "' dead-lettered " + item.problem);
                        }
                    }
                } catch (Abandoned e) {
                    throw e;
                } catch (RuntimeException e) {
                    // the broker failed us (a dead letter could not be written): go back and try again later
                    LOG.log(System.Logger.Level.WARNING, "group '" + group.name() + "' will retry " + item.source() + ": " + e);
                    rewind(batch.subList(i, batch.size()));
                    pause(1000);
                    return;
                }
                finish(item);
            }
        }

        private void finish(Item item) {
            inHandLock.lock();
            try {
                if (abandoned) {
                    throw new Abandoned();
                }
                inHand.remove(item);
            } finally {
                inHandLock.unlock();
            }
            done.put(item.partition(), new OffsetAndMetadata(item.record.offset() + 1));
        }

        private void rewind(List<Item> rest) {
            Map<TopicPartition, Long> first = new HashMap<>();
            for (Item item : rest) {
                first.merge(item.partition(), item.record.offset(), Math::min);
            }
            first.forEach(consumer::seek);
            inHandLock.lock();
            try {
                rest.forEach(inHand::remove);
            } finally {
                inHandLock.unlock();
            }
        }

        /**
         * Calls the handler up to the group's attempts; dead-letters the event under {@code id} after
         * the last. Returns true when handled.
         */
        private boolean deliver(StoredEvent event, int earlierAttempts, String id, Item item) {
            var policy = group.retryPolicy();
            Throwable last = null;
            int attempts = 0;
            for (int attempt = 1; attempt <= policy.maxAttempts(); attempt++) {
                attempts = attempt;
                try {
                    try (LogContext ignored = LogContext.group(group.name(), event)) {
                        handler.handle(event.event(), event);
                    }
                    if (abandoned) {
                        throw new Abandoned();
                    }
                    delivered.incrementAndGet();
                    return true;
                } catch (VirtualMachineError e) {
                    throw e;
                } catch (Abandoned e) {
                    throw e;
                } catch (Throwable t) {
                    if (abandoned) {
                        throw new Abandoned();
                    }
                    failed.incrementAndGet();
                    last = t;
                    LOG.log(System.Logger.Level.DEBUG, "group '" + group.name() + "' attempt " + attempt + " on event "
                            + event.eventId() + " failed: " + t);
                    if (policy.isPermanent(t)) {
                        break;   // retrying cannot help: dead-letter it now
                    }
                    if (attempt < policy.maxAttempts()) {
                        pause(policy.delayAfter(attempt).toMillis());
                    }
                }
            }
            String source = item != null ? item.source() : id;
            String key = item != null ? item.record.key() : event.aggregateId().toString();
            byte[] value = item != null ? item.record.value() : EventDocument.encodeBytes(event, mapper);
            deadLetter(id, last.getClass().getName() + ": " + last.getMessage(), earlierAttempts + attempts,
                    source, key, value);
            LOG.log(System.Logger.Level.WARNING, "group '" + group.name() + "' dead-lettered event " + event.eventId()
                    + " after " + attempts + " attempt(s): " + last);
            return false;
        }

        /** Counted first: the entry is visible to readers before the write returns. */
        private void deadLetter(String id, String error, int attempts, String source, String key, byte[] value) {
            deadLettered.incrementAndGet();
            try {
                deadLetterTopic.put(id, group.name(), error, attempts, source, key, value);
            } catch (RuntimeException e) {
                deadLettered.decrementAndGet();
                throw e;
            }
        }

        private void runReplays() {
            for (BusDeadLetter letter; (letter = replays.poll()) != null; ) {
                if (deadLetterTopic.get(letter.id()) == null) {
                    continue;   // discarded or replayed meanwhile
                }
                StoredEvent event = letter.event();
                if (event == null) {
                    BusDeadLetter.Undecodable raw = letter.undecodable();
                    try {
                        event = raw.value() == null ? null : decodeValue(raw.value());
                    } catch (UndecodableException e) {
                        deadLetter(letter.id(), "cannot decode the message at " + raw.source() + ": " + e.getMessage(),
                                letter.attempts() + 1, raw.source(), raw.key(), raw.value());
                        continue;
                    }
                    if (event == null) {
                        continue;
                    }
                }
                if (deliver(event, letter.attempts(), letter.id(), null)) {
                    deadLetterTopic.remove(letter.id());
                }
            }
        }

        private void pause(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (abandoned) {
                    throw new Abandoned();
                }
            }
        }

        private void commitDone() {
            if (done.isEmpty()) {
                return;
            }
            try {
                consumer.commitSync(new HashMap<>(done));
            } catch (KafkaException e) {
                // a rebalance took the partitions: their new owner starts at the last commit (at-least-once)
                LOG.log(System.Logger.Level.DEBUG, "commit of group '" + group.name() + "' failed: " + e);
            }
            done.clear();
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> mine = new HashMap<>();
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata o = done.remove(tp);
                if (o != null) {
                    mine.put(tp, o);
                }
            }
            if (!mine.isEmpty()) {
                try {
                    consumer.commitSync(mine);
                } catch (KafkaException e) {
                    LOG.log(System.Logger.Level.DEBUG, "commit on revocation failed for group '" + group.name() + "': " + e);
                }
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(done::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            try {
                if (!partitions.isEmpty()) {
                    // A group's place is fixed when a member first holds a partition: commit the start
                    // position at once, so that the next owner does not start later, at a newer end.
                    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
                    Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
                    for (TopicPartition tp : partitions) {
                        if (committed.get(tp) == null) {
                            start.put(tp, new OffsetAndMetadata(consumer.position(tp)));
                        }
                    }
                    if (!start.isEmpty()) {
                        consumer.commitSync(start);
                    }
                }
            } finally {
                assigned.countDown();
            }
        }
    }
}
