package dev.eventsource.archfixtures.a;

import dev.eventsource.archfixtures.b.CycleB;

/** One half of a package cycle on purpose. */
public final class CycleA {
    CycleB other;
}
