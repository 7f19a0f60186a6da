package dev.eventsource.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * Prints the DDL a backend applies on {@code initialize()}, as the backend itself publishes it
 * (a public static method of its store class), for DBAs and migration tools such as Flyway. The
 * CLI keeps no copy of any schema: a backend that publishes none, or that is not on the class
 * path, is reported as such.
 */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = "Print the DDL of a backend's tables, as the backend publishes it.")
final class SchemaCommand extends BaseCommand {

    /** The backends the CLI knows how to ask for their DDL. */
    enum Backend {
        sqlite("dev.eventsource.sqlite.SQLiteEventStore", "eventsource-sqlite"),
        postgresql("dev.eventsource.postgresql.PostgreSQLEventStore", "eventsource-postgresql");

        final String storeClass;
        final String module;

        Backend(String storeClass, String module) {
            this.storeClass = storeClass;
            this.module = module;
        }
    }

    @Option(names = "--backend", required = true, paramLabel = "sqlite|postgresql",
            description = "The backend: ${COMPLETION-CANDIDATES}.")
    Backend backend;

    @Option(names = "--schema", defaultValue = "public",
            description = "PostgreSQL only: the schema holding the tables (default: ${DEFAULT-VALUE}).")
    String schema;

    @Option(names = "--table-prefix", defaultValue = "eventsource_",
            description = "PostgreSQL only: the table name prefix (default: ${DEFAULT-VALUE}).")
    String tablePrefix;

    @Override
    public Integer call() throws Exception {
        Class<?> store;
        try {
            store = Class.forName(backend.storeClass, false, SchemaCommand.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new CommandFailure(ExitCode.FAILURE, "the " + backend + " backend is not in this build: "
                    + backend.module + " is not on the class path", e);
        }
        Object ddl;
        try {
            ddl = switch (backend) {
                case sqlite -> publicStatic(store, "schemaSql").invoke(null);
                case postgresql -> publicStatic(store, "schemaSql", String.class, String.class).invoke(null, schema, tablePrefix);
            };
        } catch (NoSuchMethodException e) {
            throw new CommandFailure(ExitCode.FAILURE, store.getSimpleName() + " does not publish its DDL in this version"
                    + " (no public static " + e.getMessage() + "), so the CLI cannot print it; " + backend
                    + " creates its tables itself on initialize, e.g. with: " + self() + " init URL", e);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IllegalArgumentException bad
                    ? new CommandFailure(ExitCode.USAGE, bad.getMessage(), bad)
                    : new CommandFailure(ExitCode.FAILURE, "cannot get the " + backend + " DDL: " + cause.getMessage(), cause);
        }
        out().println(ddl);
        return ExitCode.OK;
    }

    private static Method publicStatic(Class<?> type, String name, Class<?>... parameters) throws NoSuchMethodException {
        Method method = type.getMethod(name, parameters);
        if (!Modifier.isStatic(method.getModifiers()) || method.getReturnType() != String.class) {
            throw new NoSuchMethodException("String " + name + "(...)");
        }
        return method;
    }
}
