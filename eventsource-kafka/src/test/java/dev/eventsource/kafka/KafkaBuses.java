package dev.eventsource.kafka;

import java.time.Duration;

/** Configurations for tests on the shared broker: fresh topics and group ids every time. */
final class KafkaBuses {

    private KafkaBuses() {
    }

    /** A config no other test's events reach: a fresh topic (4 partitions), dead-letter topic and group prefix. */
    static KafkaBusConfig.Builder fresh(String bootstrapServers) {
        String name = KafkaTestBroker.uniqueName("t");
        return KafkaBusConfig.builder(bootstrapServers)
                .topic(name)
                .groupIdPrefix(name + ".")
                .createTopics(4, (short) 1)
                .pollTimeout(Duration.ofMillis(50))
                .consumerProperty("heartbeat.interval.ms", 300)
                .consumerProperty("session.timeout.ms", 10_000);
    }

    static KafkaBusConfig.Builder fresh() {
        return fresh(KafkaTestBroker.shared().bootstrapServers());
    }
}
