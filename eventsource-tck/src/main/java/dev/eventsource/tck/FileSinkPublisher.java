package dev.eventsource.tck;

import dev.eventsource.bus.BusShutdownReport;
import dev.eventsource.bus.BusStats;
import dev.eventsource.bus.EventPublisher;
import dev.eventsource.store.StoredEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A durable stand-in for a broker in crash tests: {@link #publish(List)} appends one line per event
 * to a file and forces it to disk before it returns, so that what it acknowledged survives a
 * {@code kill -9} of its process. Lines are {@code run, event id, aggregate id, version, global
 * position, payload}, tab-separated; {@link #read(Path)} skips a last line a kill cut short. Any
 * {@link EventPublisher} with a way to read back what it acknowledged can take its place (a Kafka
 * topic, say).
 */
public final class FileSinkPublisher implements EventPublisher {

    /** One line of the sink. */
    public record Line(String run, UUID eventId, UUID aggregateId, long version, long globalPosition, String payload) {
    }

    private final FileChannel file;
    private final String run;
    private final Duration pause;
    private final AtomicLong published = new AtomicLong();

    /**
     * @param file  the sink, created if missing, appended to
     * @param run   names this publisher's process in every line it writes
     * @param pause a wait after each batch, so that a kill lands mid-stream
     */
    public FileSinkPublisher(Path file, String run, Duration pause) throws IOException {
        this.file = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        this.run = run;
        this.pause = pause;
    }

    @Override
    public void publish(List<StoredEvent> events) {
        List<StoredEvent> checked = EventPublisher.checkPublishable(events);
        StringBuilder lines = new StringBuilder();
        for (StoredEvent e : checked) {
            lines.append(run).append('\t').append(e.eventId()).append('\t').append(e.aggregateId()).append('\t')
                    .append(e.version()).append('\t').append(e.globalPosition()).append('\t')
                    .append(String.valueOf(e.event()).replace('\t', ' ').replace('\n', ' ')).append('\n');
        }
        try {
            ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                file.write(bytes);
            }
            file.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        published.addAndGet(checked.size());
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every complete line of {@code sink}, in order; none if it does not exist. */
    public static List<Line> read(Path sink) throws IOException {
        if (!Files.exists(sink)) {
            return List.of();
        }
        String text = Files.readString(sink, StandardCharsets.UTF_8);
        List<Line> lines = new ArrayList<>();
        int start = 0;
        for (int end = text.indexOf('\n'); end >= 0; start = end + 1, end = text.indexOf('\n', start)) {
            String[] f = text.substring(start, end).split("\t", -1);
            if (f.length == 6) {
                lines.add(new Line(f[0], UUID.fromString(f[1]), UUID.fromString(f[2]), Long.parseLong(f[3]),
                        Long.parseLong(f[4]), f[5]));
            }
        }
        return lines;
    }

    @Override
    public BusStats stats() {
        return new BusStats(published.get(), 0, 0, 0, 0, 0);
    }

    @Override
    public BusShutdownReport shutdown(Duration deadline) {
        try {
            file.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return BusShutdownReport.COMPLETE;
    }
}
