package dev.eventsource.store;

import dev.eventsource.store.spi.AppendRules;

/** Breaks the API-package rule on purpose, so {@code ArchitectureTest} shows that rule can fail. */
final class SpiUsingApiTypeForArchitectureTest {
    Class<?> kit = AppendRules.class;
}
