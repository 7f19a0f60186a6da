package dev.eventsource.examples;

import dev.eventsource.kafka.KafkaTestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TwoServicesTest {

    @TempDir
    Path dir;

    @Test
    void orders_reach_the_other_service_once_through_a_stop_a_catch_up_and_a_redelivery() throws Exception {
        String bootstrap = KafkaTestBroker.shared().bootstrapServers();

        String output = Console.output(() -> TwoServices.main(new String[] {bootstrap, dir.toString()}));

        assertThat(output).isEqualTo(String.join(System.lineSeparator(),
                "B's read model:      {alice=2 orders/1500c, bob=1 orders/450c}",
                "A published, B down: {alice=2 orders/1500c, bob=1 orders/450c}",
                "B caught up:         {alice=2 orders/1500c, bob=2 orders/500c, carol=1 orders/990c}",
                "B's inbox:           2 applied, 0 duplicates skipped, 0 failed",
                "After a redelivery:  {alice=2 orders/1500c, bob=2 orders/500c, carol=1 orders/990c}",
                "B's inbox:           2 applied, 5 duplicates skipped, 0 failed", ""));
        try (var left = Files.list(dir)) {
            assertThat(left).as("the example deletes both services' files").isEmpty();
        }
    }

    @Test
    void without_a_broker_it_says_how_to_give_one() {
        assertThatThrownBy(() -> TwoServices.bootstrap(new String[0], null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no Kafka broker given")
                .hasMessageContaining(TwoServices.BOOTSTRAP_ENV);
        assertThatThrownBy(() -> TwoServices.bootstrap(new String[0], " ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(TwoServices.bootstrap(new String[0], "broker:9092")).isEqualTo("broker:9092");
        assertThat(TwoServices.bootstrap(new String[] {"given:9092"}, "broker:9092")).isEqualTo("given:9092");
    }
}
