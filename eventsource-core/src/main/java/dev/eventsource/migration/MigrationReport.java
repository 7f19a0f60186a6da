package dev.eventsource.migration;

import java.time.Duration;

/**
 * The result of a verified copy.
 *
 * @param events  source events read
 * @param copied  events written to the target
 * @param skipped events the target already had (a resumed or repeated copy)
 * @param streams streams verified to have the same version in both stores
 * @param took    wall-clock time of the copy and its verification
 */
public record MigrationReport(long events, long copied, long skipped, long streams, Duration took) {
}
