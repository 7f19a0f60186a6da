package dev.eventsource.postgresql;

import dev.eventsource.aggregate.AggregateRoot;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;

import java.util.UUID;

/** An aggregate for the snapshot tests: its state depends on every event and their order. */
final class Accounts {

    private Accounts() {
    }

    record Deposited(long amount) implements DomainEvent {
    }

    record Renamed(String name) implements DomainEvent {
    }

    record Account(String name, long balance, long checksum) {
    }

    static EventRegistry registry() {
        return new EventRegistry().register(Deposited.class).register(Renamed.class);
    }

    static class AccountAggregate extends AggregateRoot<Account> {
        AccountAggregate(UUID id) {
            super(id);
        }

        @Override
        protected Account initialState() {
            return new Account("", 0, 0);
        }

        @Override
        protected Account apply(Account s, DomainEvent e) {
            // The checksum makes the state depend on the order of events, not only on their sum.
            if (e instanceof Deposited d) {
                return new Account(s.name(), s.balance() + d.amount(), s.checksum() * 31 + d.amount());
            }
            if (e instanceof Renamed r) {
                return new Account(r.name(), s.balance(), s.checksum() * 31 + r.name().hashCode());
            }
            return s;
        }

        void deposit(long amount) {
            applyEvent(new Deposited(amount));
        }

        void rename(String name) {
            applyEvent(new Renamed(name));
        }
    }
}
