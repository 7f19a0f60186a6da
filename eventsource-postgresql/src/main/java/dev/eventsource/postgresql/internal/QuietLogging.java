package dev.eventsource.postgresql.internal;

import org.slf4j.spi.SLF4JServiceProvider;

import java.util.ServiceLoader;

/**
 * HikariCP, the pool a store builds for itself, logs through SLF4J. In an application without an
 * SLF4J provider (logback, slf4j-simple, log4j-slf4j2-impl, ...) SLF4J would print a three-line
 * "No SLF4J providers were found" notice on stderr the first time the pool logs, about logging
 * the application never asked for. Before a pool is built, this sets SLF4J's own
 * {@code slf4j.internal.verbosity} to {@code ERROR} when no provider is on the class path and the
 * application has not set the property: SLF4J then stays silent about itself and, as before,
 * drops HikariCP's messages. An application with a provider, or with the property set, is left
 * exactly as it is.
 */
public final class QuietLogging {

    static final String VERBOSITY = "slf4j.internal.verbosity";

    private QuietLogging() {
    }

    /** See the class comment; idempotent and cheap after the first call. */
    public static synchronized void withoutSlf4jProviderNotice() {
        if (System.getProperty(VERBOSITY) != null) {
            return;
        }
        ClassLoader loader = SLF4JServiceProvider.class.getClassLoader();
        if (ServiceLoader.load(SLF4JServiceProvider.class, loader).stream().findAny().isEmpty()) {
            System.setProperty(VERBOSITY, "ERROR");
        }
    }
}
