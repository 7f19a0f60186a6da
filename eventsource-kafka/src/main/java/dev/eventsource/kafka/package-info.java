/**
 * The event bus on Apache Kafka: {@link dev.eventsource.kafka.KafkaEventPublisher} (what a relay
 * publishes with), {@link dev.eventsource.kafka.KafkaEventConsumer} (consumer groups, dead-letter
 * topic) and {@link dev.eventsource.kafka.KafkaEventBus} (both), configured by
 * {@link dev.eventsource.kafka.KafkaBusConfig}. Messages carry the event's JSON document
 * ({@link dev.eventsource.wire.EventDocument}) with the headers of
 * {@link dev.eventsource.kafka.KafkaHeaders}.
 */
package dev.eventsource.kafka;
