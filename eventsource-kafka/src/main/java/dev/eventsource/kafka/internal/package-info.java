/** Helpers of the Kafka bus; not an API. */
package dev.eventsource.kafka.internal;
