package dev.eventsource.examples;

import dev.eventsource.examples.DeclarativeBankAccount.AccountAggregate;
import dev.eventsource.examples.DeclarativeBankAccount.AccountEvent;
import dev.eventsource.examples.DeclarativeBankAccount.AccountOpened;
import dev.eventsource.examples.DeclarativeBankAccount.AccountState;
import dev.eventsource.examples.DeclarativeBankAccount.MoneyDeposited;
import dev.eventsource.examples.DeclarativeBankAccount.MoneyWithdrawn;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventStores;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.test.AggregateScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class DeclarativeBankAccountTest {

    private final AggregateScenario<AccountAggregate, AccountState> account = AggregateScenario.forAggregate(AccountAggregate::new);

    @Test
    void prints_the_balance_the_refusal_and_the_log() throws Exception {
        String output = Console.output(() -> DeclarativeBankAccount.main(new String[0]));

        assertThat(output).containsSubsequence(
                "Ada has 70.00 at version 3",
                "Refused: insufficient funds: balance 70.00, asked 500.00",
                "#1 AccountOpened AccountOpened[owner=Ada]",
                "#2 MoneyDeposited MoneyDeposited[amount=100.00]",
                "#3 MoneyWithdrawn MoneyWithdrawn[amount=30.00]");
    }

    @Test
    void keeps_the_account_in_the_file_its_url_names(@TempDir Path directory) throws Exception {
        String url = "sqlite:" + directory.resolve("accounts.db");

        Console.output(() -> DeclarativeBankAccount.main(new String[]{url}));

        try (EventStore store = EventStores.open(url, new EventRegistry().register(AccountEvent.class));
             Stream<StoredEvent> log = store.readAll()) {
            assertThat(log.map(StoredEvent::eventType)).containsExactly("AccountOpened", "MoneyDeposited", "MoneyWithdrawn");
        }
    }

    @Test
    void deposits_into_an_open_account() {
        account.given(new AccountOpened("Ada"))
                .when(a -> a.deposit(new BigDecimal("10.00")))
                .then(new MoneyDeposited(new BigDecimal("10.00")))
                .thenState(new AccountState("Ada", new BigDecimal("10.00"), true));
    }

    @Test
    void refuses_to_withdraw_more_than_the_balance() {
        account.given(new AccountOpened("Ada"), new MoneyDeposited(new BigDecimal("5.00")))
                .when(a -> a.withdraw(new BigDecimal("6.00")))
                .thenThrows(IllegalStateException.class, "insufficient funds: balance 5.00, asked 6.00");
    }

    @Test
    void withdraws_what_the_balance_covers() {
        account.given(new AccountOpened("Ada"), new MoneyDeposited(new BigDecimal("5.00")))
                .when(a -> a.withdraw(new BigDecimal("5.00")))
                .then(new MoneyWithdrawn(new BigDecimal("5.00")))
                .thenState(state -> assertThat(state.balance()).isZero());
    }

    @Test
    void refuses_a_deposit_before_the_account_is_open() {
        account.when(a -> a.deposit(BigDecimal.ONE)).thenThrows(IllegalStateException.class, "is not open; open it first");
    }

    @Test
    void refuses_to_open_an_account_twice() {
        account.given(new AccountOpened("Ada")).when(a -> a.open("Bob")).thenThrows(IllegalStateException.class, "already open");
    }
}
