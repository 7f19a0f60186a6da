package dev.eventsource.archfixtures.b;

import dev.eventsource.archfixtures.a.CycleA;

/** The other half of a package cycle on purpose. */
public final class CycleB {
    CycleA other;
}
