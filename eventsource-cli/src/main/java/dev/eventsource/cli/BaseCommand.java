package dev.eventsource.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** What every command has: the common options and the output streams picocli was given. */
abstract class BaseCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** A hint for people, on stderr so it never mixes with output meant for scripts; none with --quiet. */
    void hint(String text) {
        if (!common.quiet) {
            err().println(text);
            err().flush();
        }
    }

    Progress progress(String label, long total, String unit) {
        return Progress.start(common, err(), label, total, unit);
    }

    /** How to call this tool in hints: the launcher passes the path it was run as. */
    static String self() {
        return System.getProperty("eventsource.command", "eventsource");
    }

    /** A URL as it must be typed in a shell. */
    static String shellWord(String word) {
        return word.matches("[A-Za-z0-9_./:@%+=,-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
