package dev.eventsource.test;

import dev.eventsource.test.Notes.NoteAggregate;
import dev.eventsource.test.Notes.NoteCreated;
import dev.eventsource.test.Notes.NoteState;
import dev.eventsource.test.Notes.NoteUpdated;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AggregateScenarioTest {

    private final AggregateScenario<NoteAggregate, NoteState> note = AggregateScenario.forAggregate(NoteAggregate::new);

    @Test
    void passes_when_the_command_applies_the_expected_events() {
        var outcome = note.given(new NoteCreated("t", "c")).when(n -> n.update("x")).then(new NoteUpdated("x"));

        assertThat(outcome.aggregate().version()).isEqualTo(2);
    }

    @Test
    void fails_showing_expected_and_actual_events_when_the_command_applies_others() {
        var outcome = note.given(new NoteCreated("t", "c")).when(n -> n.update("y"));

        assertThatThrownBy(() -> outcome.then(new NoteUpdated("x")))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("expected: [NoteUpdated[content=x]]")
                .hasMessageContaining("actual: [NoteUpdated[content=y]]");
    }

    @Test
    void fails_when_the_command_applies_fewer_events_than_expected() {
        var outcome = note.when(n -> n.create("t", "c"));

        assertThatThrownBy(() -> outcome.then(new NoteCreated("t", "c"), new NoteUpdated("x")))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("actual: [NoteCreated[title=t, content=c]]");
    }

    @Test
    void replays_the_given_events_before_the_command() {
        note.given(new NoteCreated("t", "c"), new NoteUpdated("d"))
                .when(n -> assertThat(n.version()).isEqualTo(2))
                .thenState(s -> assertThat(s.content()).isEqualTo("d"));
    }

    @Test
    void starts_from_the_initial_state_without_given_events() {
        UUID id = UUID.randomUUID();

        note.withId(id).when(n -> { }).thenNothing().thenState(new NoteState(id, "", ""));
    }

    @Test
    void then_nothing_passes_when_the_command_applies_no_event() {
        var outcome = note.given(new NoteCreated("t", "c")).when(n -> n.update("c")).thenNothing();

        assertThat(outcome.aggregate().hasUncommittedEvents()).isFalse();
    }

    @Test
    void then_nothing_fails_when_the_command_applies_an_event() {
        var outcome = note.given(new NoteCreated("t", "c")).when(n -> n.update("x"));

        assertThatThrownBy(outcome::thenNothing)
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("expected: []")
                .hasMessageContaining("actual: [NoteUpdated[content=x]]");
    }

    @Test
    void then_throws_returns_the_exception_the_command_threw() {
        IllegalStateException e = note.given(new NoteCreated("t", "c"))
                .when(n -> n.create("again", "c"))
                .thenThrows(IllegalStateException.class, "already exists");

        assertThat(e).hasMessageEndingWith("already exists");
    }

    @Test
    void then_throws_fails_when_the_command_completes() {
        var outcome = note.when(n -> n.create("t", "c"));

        assertThatThrownBy(() -> outcome.thenThrows(IllegalStateException.class))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("expected the command to throw java.lang.IllegalStateException")
                .hasMessageContaining("but it completed and applied: [NoteCreated[title=t, content=c]]");
    }

    @Test
    void then_throws_fails_when_the_command_throws_another_type() {
        var outcome = note.when(n -> n.update("x"));

        assertThatThrownBy(() -> outcome.thenThrows(IllegalArgumentException.class))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("but it threw java.lang.IllegalStateException: create the note before updating it")
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void then_throws_fails_when_the_message_lacks_the_expected_part() {
        var outcome = note.when(n -> n.update("x"));

        assertThatThrownBy(() -> outcome.thenThrows(IllegalStateException.class, "not found"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("expected to contain: not found")
                .hasMessageContaining("was: create the note before updating it");
    }

    @Test
    void then_fails_showing_the_exception_when_the_command_throws() {
        var outcome = note.when(n -> n.update("x"));

        assertThatThrownBy(() -> outcome.then(new NoteUpdated("x")))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("expected events [NoteUpdated[content=x]]")
                .hasMessageContaining("but the command threw java.lang.IllegalStateException: create the note before updating it");
    }

    @Test
    void then_state_passes_when_the_state_equals_the_expected_one() {
        UUID id = UUID.randomUUID();

        note.withId(id).given(new NoteCreated("t", "c")).when(n -> n.update("x")).thenState(new NoteState(id, "t", "x"));
    }

    @Test
    void then_state_fails_showing_expected_and_actual_state() {
        UUID id = UUID.randomUUID();
        var outcome = note.withId(id).given(new NoteCreated("t", "c")).when(n -> n.update("x"));

        assertThatThrownBy(() -> outcome.thenState(new NoteState(id, "t", "y")))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("expected: NoteState[noteId=" + id + ", title=t, content=y]")
                .hasMessageContaining("actual: NoteState[noteId=" + id + ", title=t, content=x]");
    }

    @Test
    void then_state_fails_when_its_assertions_fail() {
        var outcome = note.given(new NoteCreated("t", "c")).when(n -> n.update("x"));

        assertThatThrownBy(() -> outcome.thenState(s -> assertThat(s.content()).isEqualTo("y")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("\"y\"");
    }
}
