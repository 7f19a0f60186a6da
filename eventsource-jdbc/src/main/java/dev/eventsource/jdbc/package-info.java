/**
 * What the SQL backends share, written once: the checkpoint, dead-letter and snapshot stores
 * ({@link dev.eventsource.jdbc.JdbcCheckpointStore}, {@link dev.eventsource.jdbc.JdbcDeadLetterStore},
 * {@link dev.eventsource.jdbc.JdbcSnapshotStore}) over a small {@link dev.eventsource.jdbc.SqlDialect},
 * reaching the database through the backend's {@link dev.eventsource.jdbc.JdbcAccess}. Applications
 * use the backends' classes ({@code SQLiteSnapshotStore}, {@code PostgreSQLCheckpointStore}, ...);
 * this package is for backend authors. It keeps JDBC out of {@code eventsource-core}.
 */
package dev.eventsource.jdbc;
