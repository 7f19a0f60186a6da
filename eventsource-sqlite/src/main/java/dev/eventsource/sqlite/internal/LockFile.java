package dev.eventsource.sqlite.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The file beside a SQLite database on whose bytes named locks are taken with OS record locks
 * ({@code fcntl} on Linux and macOS, {@code LockFileEx} on Windows): one byte per name, at an offset
 * hashed from the name. The OS releases a process's record locks when the process ends, however it
 * ends, which is what lets a standby take over from a killed holder.
 *
 * <p>One instance per file per JVM, shared by every backend of the JVM on that database: POSIX
 * drops all of a process's locks on a file when the process closes <em>any</em> descriptor of it,
 * so the file is opened once and closed when its last user is gone; and the JVM refuses
 * overlapping locks within itself, so which names this JVM holds is kept here.
 */
public final class LockFile {

    private static final ReentrantLock REGISTRY = new ReentrantLock();
    private static final Map<Path, LockFile> OPEN = new HashMap<>();

    private final Path path;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, FileLock> held = new HashMap<>();
    private FileChannel channel;
    private int users;

    private LockFile(Path path) {
        this.path = path;
    }

    /** The lock file at {@code path} (absolute, normalized), counted as used once more; see {@link #unuse()}. */
    public static LockFile use(Path path) {
        Path key = path.toAbsolutePath().normalize();
        REGISTRY.lock();
        try {
            LockFile file = OPEN.computeIfAbsent(key, LockFile::new);
            file.users++;
            return file;
        } finally {
            REGISTRY.unlock();
        }
    }

    public Path path() {
        return path;
    }

    /**
     * Locks the byte of {@code name}; false if this JVM or another process holds it.
     *
     * @throws IOException if the file cannot be created or opened
     */
    public boolean tryLock(String name) throws IOException {
        lock.lock();
        try {
            if (held.containsKey(name)) {
                return false;
            }
            if (channel == null || !channel.isOpen()) {
                channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            }
            FileLock fileLock;
            try {
                fileLock = channel.tryLock(offset(name), 1, false);
            } catch (OverlappingFileLockException e) {
                // Two names of this JVM hashed to one byte: the second waits, which is safe, and unlikely in 2^62.
                return false;
            }
            if (fileLock == null) {
                return false;
            }
            held.put(name, fileLock);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Whether this JVM holds {@code name}'s byte. */
    public boolean holds(String name) {
        lock.lock();
        try {
            FileLock fileLock = held.get(name);
            return fileLock != null && fileLock.isValid();
        } finally {
            lock.unlock();
        }
    }

    /** Releases {@code name}'s byte if this JVM holds it. */
    public void unlock(String name) {
        lock.lock();
        try {
            FileLock fileLock = held.remove(name);
            if (fileLock != null && fileLock.isValid()) {
                try {
                    fileLock.release();
                } catch (IOException e) {
                    // The descriptor is gone, and with it the lock: nothing is held any more.
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** One user fewer; the last one closes the file (its locks are released by then). */
    public void unuse() {
        REGISTRY.lock();
        try {
            if (--users > 0) {
                return;
            }
            OPEN.remove(path);
            lock.lock();
            try {
                for (FileLock fileLock : held.values()) {
                    try {
                        fileLock.release();
                    } catch (IOException e) {
                        // Closing the channel below releases it anyway.
                    }
                }
                held.clear();
                if (channel != null) {
                    try {
                        channel.close();
                    } catch (IOException e) {
                        // Closed or not, the process no longer uses the file.
                    }
                    channel = null;
                }
            } finally {
                lock.unlock();
            }
        } finally {
            REGISTRY.unlock();
        }
    }

    /** The byte of {@code name}: the first 62 bits of its SHA-256. */
    static long offset(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (digest[i] & 0xff);
            }
            return value & 0x3FFF_FFFF_FFFF_FFFFL;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
