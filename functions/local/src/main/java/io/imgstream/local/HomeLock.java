package io.imgstream.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One emulator per {@code IMGSTREAM_HOME}: an exclusive lock on {@code emulator.lock}, held for the emulator's life.
 * A second emulator on the same home used to take the running one's PostgreSQL for an orphan and tell it to shut down;
 * now it stops before touching anything. The operating system releases the lock when the holder dies, however it
 * dies, so a postmaster found without a live lock holder really is an orphan.
 */
final class HomeLock implements AutoCloseable {

    static final String FILE = "emulator.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private HomeLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws IllegalStateException naming the holder when another emulator runs on {@code home} */
    static HomeLock acquire(Path home) throws IOException {
        Files.createDirectories(home);
        Path file = home.resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this JVM (tests start two emulators in one)
        }
        if (lock == null) {
            String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
            channel.close();
            throw new IllegalStateException("another emulator" + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                    + " is running on " + home + "; stop it (Ctrl-C in its terminal) or set IMGSTREAM_HOME to another directory");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        return new HomeLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
