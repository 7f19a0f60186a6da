/**
 * Observation of the parts above the store: {@link dev.eventsource.telemetry.SubscriptionObserver},
 * the seam a subscription reports its batches, failures, dead letters and lag through, and
 * {@link dev.eventsource.telemetry.SubscriptionTelemetry}, its OpenTelemetry implementation (spans
 * linked to the producers' traces, and the subscription instruments of {@code docs/operations.md}).
 * The store's own spans and metrics are {@link dev.eventsource.store.TracingObserver} and
 * {@link dev.eventsource.store.MetricsObserver}. This package depends on the store API only.
 */
package dev.eventsource.telemetry;
