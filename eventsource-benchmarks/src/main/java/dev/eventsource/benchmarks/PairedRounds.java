package dev.eventsource.benchmarks;

import org.openjdk.jmh.infra.Blackhole;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A whole-process benchmark for the workloads whose JMH runs disagreed from one run to the next: it
 * runs the library and its raw baselines <em>in alternating rounds</em> in one process, so that what
 * the server or the host does in the background (a PostgreSQL checkpoint or autovacuum of earlier
 * work, a neighbour on a shared host) falls on every side alike instead of on whichever JMH method
 * happened to run then. Each round runs every side once, in an order that rotates from round to
 * round; the ratio is taken within the round, and the report is the median of the rounds' ratios
 * beside each side's median. Appends also report this process's CPU time per append (the client's
 * share of a host whose cores the server shares) and the rest of the host's busy CPU time per
 * append (the server's, when it runs on this host and nothing else does). The sides are the JMH
 * benchmarks' own methods on their own state ({@link PostgreSQLAppendBenchmark},
 * {@link AppendBenchmark}, {@link ReadAllBenchmark}, {@link PostgreSQLReadAllBenchmark}), so the
 * statements are the same ones JMH measures.
 *
 * <pre>
 * java -cp eventsource-benchmarks/target/benchmarks.jar dev.eventsource.benchmarks.PairedRounds pg-append [rounds] [writers]
 * java -cp eventsource-benchmarks/target/benchmarks.jar dev.eventsource.benchmarks.PairedRounds sqlite-append [rounds]
 * java -cp eventsource-benchmarks/target/benchmarks.jar dev.eventsource.benchmarks.PairedRounds readall [rounds]
 * java -cp eventsource-benchmarks/target/benchmarks.jar dev.eventsource.benchmarks.PairedRounds pg-readall [rounds]
 * </pre>
 *
 * <p>{@code pg-append}: one-event appends to new streams, 1 writer then 8 writers (or only
 * {@code writers}), each side for 3 s per round (library; raw JDBC into our table; raw JDBC into
 * the minimal table), after two warm-up rounds; PostgreSQL is the server of
 * {@code EVENTSOURCE_TEST_POSTGRES_URL} or one started for the run. {@code sqlite-append}: the same
 * three sides on SQLite files ({@code synchronous=FULL}), one writer, batches of 1 then 100 events.
 * {@code readall} (SQLite) and {@code pg-readall}: one read of 200,000 events with trace metadata
 * per side per round (library {@code readAll} with decoding; the raw scan of the same columns),
 * after two warm-up rounds. Default: 9 measured rounds.
 */
public final class PairedRounds {

    /** A side of a round that counts operations until a deadline; several threads may run it. */
    @FunctionalInterface
    interface Op {
        void run(int thread) throws Exception;
    }

    private static final long APPEND_NANOS = 3_000_000_000L;
    private static final int WARM_UP_ROUNDS = 2;

    private PairedRounds() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: PairedRounds pg-append|sqlite-append|readall|pg-readall [rounds] [writers, pg-append only]");
            System.exit(2);
        }
        int rounds = args.length >= 2 ? Integer.parseInt(args[1]) : 9;
        switch (args[0]) {
            case "pg-append" -> {
                if (args.length == 3) {
                    pgAppend(Integer.parseInt(args[2]), rounds);
                } else {
                    pgAppend(1, rounds);
                    pgAppend(8, rounds);
                }
            }
            case "sqlite-append" -> {
                sqliteAppend(1, rounds);
                sqliteAppend(100, rounds);
            }
            case "readall" -> readAll(rounds);
            case "pg-readall" -> pgReadAll(rounds);
            default -> {
                System.err.println("unknown workload " + args[0] + "; expected pg-append, sqlite-append, readall or pg-readall");
                System.exit(2);
            }
        }
    }

    /** One-event appends to new streams by {@code writers} threads: library, raw into our table, raw into the minimal table. */
    private static void pgAppend(int writers, int rounds) throws Exception {
        PostgreSQLAppendBenchmark.Shared shared = new PostgreSQLAppendBenchmark.Shared();
        shared.batch = 1;
        shared.open();
        PostgreSQLAppendBenchmark bench = new PostgreSQLAppendBenchmark();
        PostgreSQLAppendBenchmark.RawWriter[] ours = new PostgreSQLAppendBenchmark.RawWriter[writers];
        PostgreSQLAppendBenchmark.MinimalWriter[] minimal = new PostgreSQLAppendBenchmark.MinimalWriter[writers];
        try {
            for (int i = 0; i < writers; i++) {
                ours[i] = new PostgreSQLAppendBenchmark.RawWriter();
                ours[i].open(shared);
                minimal[i] = new PostgreSQLAppendBenchmark.MinimalWriter();
                minimal[i].open(shared);
            }
            Op[] sides = {t -> bench.library(shared), t -> bench.rawJdbc(ours[t]), t -> bench.rawMinimal(minimal[t])};
            timeBoxedRounds(String.format("PostgreSQL one-event appends, %d writer(s), appends/s per round", writers), sides,
                    writers, rounds);
        } finally {
            for (int i = 0; i < writers; i++) {
                if (ours[i] != null) {
                    ours[i].close();
                }
                if (minimal[i] != null) {
                    minimal[i].close();
                }
            }
            shared.close();
        }
    }

    /** SQLite ({@code synchronous=FULL}) appends of {@code batch} events to new streams, one writer: {@link AppendBenchmark}'s sides. */
    private static void sqliteAppend(int batch, int rounds) throws Exception {
        AppendBenchmark bench = new AppendBenchmark();
        bench.batch = batch;
        bench.synchronous = "FULL";
        bench.open();
        try {
            Op[] sides = {t -> bench.library(), t -> bench.rawJdbc(), t -> bench.rawJdbcMinimal()};
            timeBoxedRounds(String.format("SQLite FULL appends of %d event(s) to new streams, 1 writer, appends/s per round", batch),
                    sides, 1, rounds);
        } finally {
            bench.close();
        }
    }

    /**
     * Rounds of the three append sides (library, raw into our table, raw minimal), each time-boxed on
     * {@code threads} threads, in an order rotating per round; prints the rounds, the medians, the
     * ratios and the CPU per append.
     */
    private static void timeBoxedRounds(String title, Op[] sides, int threads, int rounds) throws Exception {
        String[] names = {"library", "raw, our table", "raw, minimal"};
        System.out.printf("%n== %s ==%n", title);
        double[][] rates = new double[sides.length][rounds];
        double[][] cpu = new double[sides.length][rounds];
        double[][] otherCpu = new double[sides.length][rounds];
        for (int round = -WARM_UP_ROUNDS; round < rounds; round++) {
            StringBuilder line = new StringBuilder(round < 0 ? "warm-up" : "round " + (round + 1));
            for (int k = 0; k < sides.length; k++) {
                int side = Math.floorMod(k + round, sides.length);
                Rate rate = timeBoxed(sides[side], threads);
                line.append(String.format(Locale.ROOT, "  %s %,.0f (CPU µs: %.0f here, %.0f rest of host)", names[side],
                        rate.perSecond(), rate.cpuMicrosPerOp(), rate.otherCpuMicrosPerOp()));
                if (round >= 0) {
                    rates[side][round] = rate.perSecond();
                    cpu[side][round] = rate.cpuMicrosPerOp();
                    otherCpu[side][round] = rate.otherCpuMicrosPerOp();
                }
            }
            System.out.println(line);
        }
        report(names, rates, true);
        StringBuilder perOp = new StringBuilder("median client CPU per append (µs, this process)");
        StringBuilder rest = new StringBuilder("median CPU per append of the rest of the host (µs, the server if local)");
        for (int side = 0; side < names.length; side++) {
            perOp.append(String.format(Locale.ROOT, "  %s %.0f", names[side], median(cpu[side])));
            rest.append(String.format(Locale.ROOT, "  %s %.0f", names[side], median(otherCpu[side])));
        }
        System.out.println(perOp);
        System.out.println(rest);
    }

    private static void readAll(int rounds) throws Exception {
        ReadAllBenchmark bench = new ReadAllBenchmark();
        bench.events = 200_000;
        bench.metadata = "traced";
        Blackhole bh = blackhole();
        readRounds("SQLite", rounds, bench::open, () -> bench.library(bh), () -> bench.rawJdbc(bh), bench::close);
    }

    private static void pgReadAll(int rounds) throws Exception {
        PostgreSQLReadAllBenchmark bench = new PostgreSQLReadAllBenchmark();
        bench.events = 200_000;
        bench.metadata = "traced";
        Blackhole bh = blackhole();
        readRounds("PostgreSQL", rounds, bench::open, () -> bench.library(bh), () -> bench.rawJdbc(bh), bench::close);
    }

    /** A benchmark's set-up or tear-down. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    /** A read, once; returns what it counted. */
    @FunctionalInterface
    interface Read {
        long run() throws Exception;
    }

    /**
     * Opens a read benchmark of 200,000 events with trace metadata, alternates the library's read and
     * the raw scan, and closes it; the ratio of a round is raw time ÷ library time.
     */
    private static void readRounds(String store, int rounds, Step open, Read library, Read raw, Step close) throws Exception {
        open.run();
        try {
            readRounds(store, rounds, library, raw);
        } finally {
            close.run();
        }
    }

    private static void readRounds(String store, int rounds, Read library, Read raw) throws Exception {
        System.out.printf("%n== %s readAll of 200,000 events (traced metadata), ms per read ==%n", store);
        String[] names = {"library", "raw scan"};
        Read[] sides = {library, raw};
        double[][] millis = new double[2][rounds];
        for (int round = -WARM_UP_ROUNDS; round < rounds; round++) {
            StringBuilder line = new StringBuilder(round < 0 ? "warm-up" : "round " + (round + 1));
            for (int k = 0; k < 2; k++) {
                int side = Math.floorMod(k + round, 2);
                long start = System.nanoTime();
                sides[side].run();
                double ms = (System.nanoTime() - start) / 1e6;
                line.append(String.format(Locale.ROOT, "  %s %.0f ms", names[side], ms));
                if (round >= 0) {
                    millis[side][round] = ms;
                }
            }
            System.out.println(line);
        }
        report(names, millis, false);
    }

    /**
     * What a time-boxed side did: operations per second, this process's CPU time per operation and
     * the rest of the host's busy CPU time per operation (the database server, when it runs on this
     * host), in µs; the second is NaN where {@code /proc/stat} cannot be read.
     */
    record Rate(double perSecond, double cpuMicrosPerOp, double otherCpuMicrosPerOp) {
    }

    /** The host's busy CPU time so far, all cores, in ns, from {@code /proc/stat}; -1 where it cannot be read. */
    private static long hostBusyNanos() {
        try {
            String[] f = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) { // idle and iowait
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy * 10_000_000L; // USER_HZ is 100 on Linux
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    /** This process's CPU time so far, all threads, in ns (the client side: driver, pool, library). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Runs {@code op} on {@code threads} threads for {@link #APPEND_NANOS}. */
    private static Rate timeBoxed(Op op, int threads) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        long[] counts = new long[threads];
        AtomicReference<Exception> failure = new AtomicReference<>();
        long[] window = new long[2];
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                    long deadline = window[0] + APPEND_NANOS;
                    long n = 0;
                    while (System.nanoTime() < deadline) {
                        op.run(thread);
                        n++;
                    }
                    counts[thread] = n;
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            });
            worker.start();
            running.add(worker);
        }
        long cpu = processCpuNanos();
        long host = hostBusyNanos();
        window[0] = System.nanoTime();
        start.countDown();
        for (Thread worker : running) {
            worker.join();
        }
        window[1] = System.nanoTime();
        if (failure.get() != null) {
            throw failure.get();
        }
        cpu = processCpuNanos() - cpu;
        long hostAfter = hostBusyNanos();
        long ops = Arrays.stream(counts).sum();
        double other = host < 0 || hostAfter < 0 ? Double.NaN : (hostAfter - host - cpu) / 1e3 / ops;
        return new Rate(ops / ((window[1] - window[0]) / 1e9), cpu / 1e3 / ops, other);
    }

    /**
     * Prints each side's median and the median of the per-round ratios of the first side to each
     * other side: library ÷ baseline for rates ({@code higherIsBetter}), baseline ÷ library for times.
     */
    private static void report(String[] names, double[][] values, boolean higherIsBetter) {
        StringBuilder medians = new StringBuilder("median");
        for (int side = 0; side < names.length; side++) {
            medians.append(String.format(Locale.ROOT, "  %s %,.1f", names[side], median(values[side])));
        }
        System.out.println(medians);
        for (int side = 1; side < names.length; side++) {
            double[] ratios = new double[values[0].length];
            for (int r = 0; r < ratios.length; r++) {
                ratios[r] = higherIsBetter ? values[0][r] / values[side][r] : values[side][r] / values[0][r];
            }
            double[] sorted = ratios.clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "ratio, library against %s: median %.2f (rounds %.2f to %.2f)%n", names[side],
                    median(ratios), sorted[0], sorted[sorted.length - 1]);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** JMH's sink for the benchmark methods, outside JMH (the constructor insists on this sentence). */
    private static Blackhole blackhole() {
        return new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
    }
}
