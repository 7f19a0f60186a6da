package dev.eventsource.examples;

import dev.eventsource.aggregate.AggregateRepository;
import dev.eventsource.aggregate.AggregateRoot;
import dev.eventsource.aggregate.Handles;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventStores;
import dev.eventsource.store.StoredEvent;

import java.math.BigDecimal;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * An aggregate in the declarative style: one {@link Handles} method per event instead of an
 * {@code apply} override. Commands validate against the current state and refuse what the
 * account does not allow; the handlers only compute the next state.
 *
 * <p>The store comes from a URL, as in a configuration-driven application: the first argument,
 * default {@code sqlite::memory:} ({@code memory:} or {@code sqlite:./accounts.db} work too).
 */
public final class DeclarativeBankAccount {

    /** Every event of an account; registering the sealed interface registers them all. */
    sealed interface AccountEvent extends DomainEvent permits AccountOpened, MoneyDeposited, MoneyWithdrawn {
    }

    record AccountOpened(String owner) implements AccountEvent {
    }

    record MoneyDeposited(BigDecimal amount) implements AccountEvent {
    }

    record MoneyWithdrawn(BigDecimal amount) implements AccountEvent {
    }

    record AccountState(String owner, BigDecimal balance, boolean open) {
    }

    static final class AccountAggregate extends AggregateRoot<AccountState> {

        AccountAggregate(UUID id) {
            super(id);
        }

        @Override
        protected AccountState initialState() {
            return new AccountState("", BigDecimal.ZERO, false);
        }

        void open(String owner) {
            if (state().open()) {
                throw new IllegalStateException("account " + aggregateId() + " is already open");
            }
            applyEvent(new AccountOpened(owner));
        }

        void deposit(BigDecimal amount) {
            requireOpen();
            requirePositive(amount);
            applyEvent(new MoneyDeposited(amount));
        }

        void withdraw(BigDecimal amount) {
            requireOpen();
            requirePositive(amount);
            if (amount.compareTo(state().balance()) > 0) {
                throw new IllegalStateException("insufficient funds: balance " + state().balance() + ", asked " + amount);
            }
            applyEvent(new MoneyWithdrawn(amount));
        }

        @Handles
        AccountState on(AccountState state, AccountOpened event) {
            return new AccountState(event.owner(), BigDecimal.ZERO, true);
        }

        @Handles
        AccountState on(AccountState state, MoneyDeposited event) {
            return new AccountState(state.owner(), state.balance().add(event.amount()), true);
        }

        @Handles
        AccountState on(AccountState state, MoneyWithdrawn event) {
            return new AccountState(state.owner(), state.balance().subtract(event.amount()), true);
        }

        private void requireOpen() {
            if (!state().open()) {
                throw new IllegalStateException("account " + aggregateId() + " is not open; open it first");
            }
        }

        private static void requirePositive(BigDecimal amount) {
            if (amount.signum() <= 0) {
                throw new IllegalArgumentException("amount must be positive; got " + amount);
            }
        }
    }

    private DeclarativeBankAccount() {
    }

    public static void main(String[] args) {
        String url = args.length > 0 ? args[0] : "sqlite::memory:";
        EventRegistry registry = new EventRegistry().register(AccountEvent.class);
        try (EventStore store = EventStores.open(url, registry)) {
            var accounts = new AggregateRepository<>(store, AccountAggregate::new, "Account");

            UUID id = UUID.randomUUID();
            AccountAggregate account = accounts.createNew(id);
            account.open("Ada");
            account.deposit(new BigDecimal("100.00"));
            account.withdraw(new BigDecimal("30.00"));
            accounts.save(account);

            AccountAggregate loaded = accounts.load(id);
            System.out.println(loaded.state().owner() + " has " + loaded.state().balance() + " at version " + loaded.version());
            try {
                loaded.withdraw(new BigDecimal("500.00"));
            } catch (IllegalStateException refused) {
                System.out.println("Refused: " + refused.getMessage());
            }

            try (Stream<StoredEvent> log = store.readAll()) {
                log.forEach(e -> System.out.println("#" + e.globalPosition() + " " + e.eventType() + " " + e.event()));
            }
        }
    }
}
