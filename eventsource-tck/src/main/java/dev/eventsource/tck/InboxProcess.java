package dev.eventsource.tck;

import dev.eventsource.bus.ConsumerGroup;
import dev.eventsource.bus.InMemoryEventBus;
import dev.eventsource.inbox.Inbox;

/**
 * A separate JVM for {@link InboxContract}'s crash test: a consumer service that opens an
 * {@link Inbox} on a database and applies a stream of events from the start, delivered through an
 * {@link InMemoryEventBus}, then exits; the test kills one such process mid-stream and runs
 * another over the whole stream. Arguments: the database's JDBC URL, the number of events, and a
 * pause in milliseconds after each (so that a kill lands mid-stream).
 */
public final class InboxProcess {

    private InboxProcess() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int events = Integer.parseInt(args[1]);
        long pause = Long.parseLong(args[2]);
        Inbox inbox = Inbox.open(url);
        try (InMemoryEventBus bus = new InMemoryEventBus()) {
            bus.subscribe(ConsumerGroup.named("billing"), inbox.exactlyOnce("billing", InboxContract.CHARGE));
            for (int n = 0; n < events; n++) {
                bus.publish(InboxContract.event(n));
                if (pause > 0) {
                    Thread.sleep(pause);
                }
            }
            if (bus.stats().deadLettered() > 0 || inbox.stats().failed() > 0) {
                System.err.println("deliveries failed: " + bus.stats() + " " + inbox.stats());
                System.exit(2);
            }
        }
    }
}
