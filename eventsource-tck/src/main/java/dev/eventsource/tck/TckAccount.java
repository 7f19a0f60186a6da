package dev.eventsource.tck;

import dev.eventsource.aggregate.AggregateRoot;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;

import java.util.UUID;

/**
 * An aggregate for snapshot tests whose state depends on every event and on their order, so a
 * load from a wrong snapshot or a missed event shows in the state.
 */
public final class TckAccount extends AggregateRoot<TckAccount.Account> {

    /** Money in. */
    public record Deposited(long amount) implements DomainEvent {
    }

    /** A new name. */
    public record Renamed(String name) implements DomainEvent {
    }

    /** The state; {@code checksum} folds in every event in order. */
    public record Account(String name, long balance, long checksum) {
    }

    /** The stream type the TCK stores accounts under. */
    public static final String TYPE = "Account";

    public TckAccount(UUID id) {
        super(id);
    }

    /** A fresh registry that knows the account events. */
    public static EventRegistry registry() {
        return new EventRegistry().register(Deposited.class).register(Renamed.class);
    }

    @Override
    protected Account initialState() {
        return new Account("", 0, 0);
    }

    @Override
    protected Account apply(Account s, DomainEvent e) {
        if (e instanceof Deposited d) {
            return new Account(s.name(), s.balance() + d.amount(), s.checksum() * 31 + d.amount());
        }
        if (e instanceof Renamed r) {
            return new Account(r.name(), s.balance(), s.checksum() * 31 + r.name().hashCode());
        }
        return s;
    }

    public void deposit(long amount) {
        applyEvent(new Deposited(amount));
    }

    public void rename(String name) {
        applyEvent(new Renamed(name));
    }
}
