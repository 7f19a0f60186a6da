package dev.eventsource.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationConverterTest {

    private final DurationConverter converter = new DurationConverter();

    @ParameterizedTest
    @CsvSource({"250ms, PT0.25S", "10s, PT10S", "5m, PT5M", "1h, PT1H", "30d, PT720H", "PT10S, PT10S", "36500d, PT876000H",
            "0s, PT0S"})
    void reads_the_short_forms_and_iso_8601(String given, String expected) {
        assertThat(converter.convert(given)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"36501d", "1000000000d", "9223372036854775807s", "99999999999999999999999ms", "PT-5S",
            "P100000D", "PT9999999999999H"})
    void refuses_a_negative_duration_or_one_over_a_hundred_years_in_words(String given) {
        assertThatThrownBy(() -> converter.convert(given)).isInstanceOf(TypeConversionException.class)
                .hasMessage("'" + given + "' is out of range; give a duration from 0 to 36500d");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "ten seconds", "5 s", "-5d", "5w"})
    void refuses_what_is_not_a_duration(String given) {
        assertThatThrownBy(() -> converter.convert(given)).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("is not a duration");
    }
}
