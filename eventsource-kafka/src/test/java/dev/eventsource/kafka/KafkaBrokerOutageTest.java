package dev.eventsource.kafka;

import dev.eventsource.bus.BusUnavailableException;
import dev.eventsource.bus.ConsumerGroup;
import dev.eventsource.store.StoredEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static dev.eventsource.kafka.KafkaTesting.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A broker of its own that the test stops and starts again: what publishers and consumers do meanwhile. */
class KafkaBrokerOutageTest {

    private static KafkaTestBroker broker;
    private final KafkaTesting events = new KafkaTesting();

    @BeforeAll
    static void startBroker() {
        broker = KafkaTestBroker.startDedicated();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private KafkaBusConfig config() {
        return KafkaBuses.fresh(broker.bootstrapServers())
                .maxBlock(Duration.ofSeconds(2)).deliveryTimeout(Duration.ofSeconds(3)).build();
    }

    @Test
    void a_publisher_started_while_the_broker_is_down_fails_clearly_then_works_once_it_is_back() {
        KafkaBusConfig config = KafkaBusConfig.builder(broker.bootstrapServers()).topic(KafkaTestBroker.uniqueName("down"))
                .maxBlock(Duration.ofSeconds(2)).deliveryTimeout(Duration.ofSeconds(3)).build();
        broker.stop();
        try (KafkaEventPublisher publisher = new KafkaEventPublisher(config, KafkaTesting.registry())) {
            StoredEvent event = events.ordered(UUID.randomUUID());

            assertThatThrownBy(() -> publisher.publish(event)).isInstanceOf(BusUnavailableException.class)
                    .hasMessageContaining(broker.bootstrapServers()).hasMessageContaining("publish them all again");
            assertThat(publisher.stats().published()).isZero();

            broker.restart();
            publisher.publish(event);
            assertThat(publisher.stats().published()).isEqualTo(1);
        } finally {
            broker.restart();
        }
        assertThat(KafkaTesting.readAll(broker.bootstrapServers(), config.consumedTopics().get(0), 1)).hasSize(1);
    }

    @Test
    void mid_run_a_publish_fails_while_the_broker_is_down_and_after_the_restart_the_consumer_gets_everything_in_order() {
        KafkaBusConfig config = config();
        List<StoredEvent> handled = Collections.synchronizedList(new ArrayList<>());
        try (KafkaEventBus bus = new KafkaEventBus(config, KafkaTesting.registry())) {
            bus.subscribe(ConsumerGroup.named("projector"), (event, envelope) -> handled.add(envelope));
            UUID order = UUID.randomUUID();
            List<StoredEvent> before = List.of(events.ordered(order), events.ordered(order));
            bus.publish(before);
            eventually("the first events arrive", () -> handled.size() == 2);

            broker.stop();
            List<StoredEvent> during = List.of(events.ordered(order), events.ordered(order));
            try {
                assertThatThrownBy(() -> bus.publish(during)).isInstanceOf(BusUnavailableException.class);
            } finally {
                broker.restart();
            }
            bus.publish(during);   // what a relay does: publish the failed list again
            List<StoredEvent> after = List.of(events.ordered(order));
            bus.publish(after);

            eventually("everything arrives after the restart", () -> handled.containsAll(during) && handled.containsAll(after));
            // a failed publish may have written some events: they come again (duplicates), never out of order first
            assertThat(handled.stream().map(StoredEvent::version).distinct().toList()).as("versions in the order first seen")
                    .containsExactly(1L, 2L, 3L, 4L, 5L);
        }
    }
}
