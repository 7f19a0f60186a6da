package dev.eventsource.tck;

import dev.eventsource.subscription.DeadLetterStore;
import dev.eventsource.subscription.InMemoryDeadLetterStore;

class InMemoryDeadLetterStoreContractTest extends DeadLetterStoreContract {

    @Override
    protected DeadLetterStore newDeadLetterStore() {
        return new InMemoryDeadLetterStore();
    }
}
