package dev.eventsource.postgresql.internal;

import dev.eventsource.EventSourceException;
import dev.eventsource.event.SerializationException;
import dev.eventsource.postgresql.TransientStoreException;
import dev.eventsource.store.IncompatibleStoreException;
import dev.eventsource.store.StoreNotInitializedException;
import dev.eventsource.store.StoreUnavailableException;
import dev.eventsource.store.StoreUnavailableException.Reason;
import dev.eventsource.store.UnexpectedStoreException;

import java.sql.SQLException;
import java.sql.SQLTransientException;

/**
 * Translates {@link SQLException}s into the library's exceptions, once, by SQLState. Unique
 * violations never arrive here: the append path handles them itself (they mean a conflict or a
 * duplicate event id, which {@code AppendRules} decides).
 */
public final class PgErrors {

    /** {@code unique_violation}. */
    public static final String UNIQUE_VIOLATION = "23505";

    private PgErrors() {
    }

    /**
     * @param store  names the store, e.g. {@code PostgreSQLEventStore(jdbc:postgresql://db/app, schema public)}
     * @param action what was being done, e.g. {@code "append to Note/…"}
     */
    public static EventSourceException translate(String store, String action, SQLException e) {
        String state = e.getSQLState();
        String what = store + ": " + action + " failed";
        String detail = e.getMessage() + (state == null ? "" : " [SQLState " + state + "]");
        if (state == null) {
            if (e instanceof SQLTransientException) {
                // HikariCP's "connection is not available, request timed out" carries no SQLState.
                return new TransientStoreException(what + " (no connection available): " + detail
                        + ". Nothing was written; retry, or give the pool more connections.", null, e);
            }
            return new UnexpectedStoreException(what + ": " + detail, e);
        }
        if (state.equals("40001") || state.equals("40P01") || state.equals("55P03")) {
            String why = switch (state) {
                case "40001" -> "serialization failure";
                case "40P01" -> "deadlock";
                default -> "lock that was not available in time";
            };
            return new TransientStoreException(what + " because of a " + why + ": " + detail
                    + ". Nothing was written; the operation may be retried.", state, e);
        }
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                || state.equals("53300")) {
            return new TransientStoreException(what + " because the connection to PostgreSQL failed: " + detail
                    + ". The operation may be retried; an append retried with the same event ids is recognised"
                    + " if the first attempt was committed.", state, e);
        }
        if (state.equals("22P05") || state.equals("22021")) {
            return new SerializationException(null, what + ": PostgreSQL cannot store a character of the payload or"
                    + " metadata (jsonb refuses the NUL character \\u0000 and characters outside the database"
                    + " encoding): " + detail + ". Nothing was written.", e);
        }
        if (state.startsWith("28")) {
            return new StoreUnavailableException(Reason.CREDENTIALS_REFUSED, what + ": PostgreSQL refused the credentials: "
                    + detail + ". Check the user name and password in the URL or DataSource.", e);
        }
        if (state.equals("3D000")) {
            return new StoreUnavailableException(Reason.DATABASE_MISSING, what + ": the database does not exist: " + detail
                    + ". Create it first (CREATE DATABASE) or fix the URL.", e);
        }
        if (state.equals("42501") && detail != null && detail.contains("row-level security")) {
            return new StoreUnavailableException(Reason.ACCESS_DENIED, what + ": refused by row-level security: " + detail
                    + ". In row-level-security mode the application role writes and reads only rows of the tenant its"
                    + " transaction is bound to (PostgreSQLEventStore.boundTo), and stores nothing unbound.", e);
        }
        if (state.equals("42501")) {
            return new StoreUnavailableException(Reason.ACCESS_DENIED, what + ": the database user lacks a privilege: "
                    + detail + ". Grant it, or create the schema with PostgreSQLEventStore.schemaSql(...) as an owner.", e);
        }
        if (state.equals("25006")) {
            return new StoreUnavailableException(Reason.READ_ONLY, what + ": the database accepts no writes (a hot"
                    + " standby, or default_transaction_read_only): " + detail + ". Nothing was written; point the"
                    + " store at the primary.", e);
        }
        if (state.equals("53100")) {
            return new StoreUnavailableException(Reason.STORAGE_FULL, what + ": the database server's disk is full: "
                    + detail + ". Nothing of this operation was written; events stored before are intact. Free space"
                    + " on the server.", e);
        }
        if (state.equals("58030")) {
            return new StoreUnavailableException(Reason.IO_ERROR, what + ": the database server reported an I/O"
                    + " error: " + detail + ". Check the server's disk.", e);
        }
        if (state.equals("42P01") || state.equals("42883") || state.equals("3F000")) {
            return new StoreNotInitializedException(what + ": the event store schema, tables or functions are missing: "
                    + detail + ". Call initialize() or apply PostgreSQLEventStore.schemaSql(...) for this schema and"
                    + " prefix.", e);
        }
        if (state.equals("XX001") || state.equals("XX002")) {
            return new IncompatibleStoreException(IncompatibleStoreException.Kind.CORRUPT, what + ": PostgreSQL reports"
                    + " damaged data or index pages: " + detail + ". Restore the database from a backup (or REINDEX"
                    + " a damaged index).", e);
        }
        return new UnexpectedStoreException(what + ": " + detail, e);
    }

    /** True for a unique violation. */
    public static boolean isUniqueViolation(SQLException e) {
        return UNIQUE_VIOLATION.equals(e.getSQLState());
    }
}
