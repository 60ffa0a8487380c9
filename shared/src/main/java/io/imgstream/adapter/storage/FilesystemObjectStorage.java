package io.imgstream.adapter.storage;

import io.imgstream.application.port.ObjectStorage;
import io.imgstream.application.port.StorageUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Objects as plain files under a root directory, one file per object holding exactly its bytes. A write
 * goes to a temporary file first and is renamed into place, so a reader never sees a partial object; it returns only
 * once the bytes and the rename are on disk, because the image's row commits right after and PostgreSQL's commit is
 * durable: a machine crash must not leave a live row whose object is empty or missing (docs/api.md "Failure behaviour").
 */
public final class FilesystemObjectStorage implements ObjectStorage {

    private static final String PARTIAL_DIR = ".partial";
    private static final int BUFFER = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(FilesystemObjectStorage.class);

    private final Path root;
    private volatile boolean directoriesSyncable = true;

    public FilesystemObjectStorage(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public long write(String objectName, InputStream content, String contentType) {
        Path target = resolve(objectName);
        Path partial = root.resolve(PARTIAL_DIR).resolve(UUID.randomUUID() + ".part");
        try {
            Files.createDirectories(partial.getParent());
            long written = 0;
            try (FileChannel file = FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(file)) {
                WriteBehind flusher = new WriteBehind(file);
                try {
                    byte[] buffer = new byte[BUFFER];
                    int n;
                    // Whole buffers: a request stream hands over a few KiB per read, and every write is a system call.
                    while ((n = content.readNBytes(buffer, 0, BUFFER)) > 0) {
                        out.write(buffer, 0, n);
                        written += n;
                        flusher.written(written);
                    }
                } catch (Throwable e) {
                    flusher.awaitQuietly(); // the body's own failure (a 413, a lost client) is what the caller hears
                    throw e;
                }
                flusher.finish();
                file.force(false); // fdatasync: the bytes and the size, before the name points at them
            }
            Files.createDirectories(target.getParent());
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, target);
            }
            syncDirectory(target.getParent());
            return written;
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("object names are written once", e);
        } catch (IOException e) {
            throw new StorageUnavailableException(e);
        } finally {
            removeTemporary(partial);
        }
    }

    @Override
    public Optional<InputStream> read(String objectName, long offset, long length) {
        Path file = resolve(objectName);
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(offset);
            InputStream in = Channels.newInputStream(channel);
            return Optional.of(length < 0 ? in : new BoundedInputStream(in, length));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageUnavailableException(e);
        }
    }

    @Override
    public Optional<StoredObject> stat(String objectName) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(resolve(objectName), BasicFileAttributes.class);
            return Optional.of(new StoredObject(objectName, attrs.size(), attrs.lastModifiedTime().toInstant()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageUnavailableException(e);
        }
    }

    @Override
    public boolean delete(String objectName) {
        try {
            return Files.deleteIfExists(resolve(objectName));
        } catch (IOException e) {
            throw new StorageUnavailableException(e);
        }
    }

    @Override
    public Stream<StoredObject> list(String prefix) {
        // Walk only the directory the prefix names, not the whole tree.
        Path start = prefix.contains("/") ? resolve(prefix.substring(0, prefix.lastIndexOf('/') + 1)) : root;
        if (!Files.isDirectory(start)) {
            return Stream.empty();
        }
        try {
            return Files.walk(start)
                    .filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(name -> !name.startsWith(PARTIAL_DIR + "/") && name.startsWith(prefix))
                    .sorted()
                    .map(name -> stat(name).orElse(null))
                    .filter(o -> o != null);
        } catch (IOException e) {
            throw new StorageUnavailableException(e);
        }
    }

    /** The temporary files of writes a killed process left in {@code .partial}: the rename never came. */
    @Override
    public long removeUnfinishedWrites(Instant cutoff, boolean dryRun) {
        Path partials = root.resolve(PARTIAL_DIR);
        if (!Files.isDirectory(partials)) {
            return 0;
        }
        long removed = 0;
        try (Stream<Path> files = Files.list(partials)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file) && modifiedBefore(file, cutoff)) {
                    if (!dryRun) {
                        Files.deleteIfExists(file);
                    }
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new StorageUnavailableException(e);
        }
        return removed;
    }

    /** False for a file gone since it was listed: an upload in flight renamed its temporary file into place. */
    private static boolean modifiedBefore(Path file, Instant cutoff) throws IOException {
        try {
            return Files.getLastModifiedTime(file).toInstant().isBefore(cutoff);
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    @Override
    public Optional<URI> signedReadUrl(String objectName, Duration ttl, String contentType, String contentDisposition) {
        return Optional.empty();
    }

    @Override
    public void probe() {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new StorageUnavailableException(e);
        }
        if (!Files.isWritable(root)) {
            throw new StorageUnavailableException(new IOException("storage directory is not writable"));
        }
    }

    private Path resolve(String objectName) {
        if (objectName.isEmpty() || objectName.startsWith("/") || objectName.contains("..")
                || objectName.contains("\\") || objectName.startsWith(PARTIAL_DIR)) {
            throw new IllegalArgumentException("not an object name: " + objectName);
        }
        return root.resolve(objectName);
    }

    /**
     * The rename itself is an entry of the directory: on Linux and macOS it is durable once the directory is synced.
     * Windows cannot open a directory as a channel; there the rename is as durable as NTFS's journal makes it, which is
     * said once in the log rather than failing every upload of a developer's emulator.
     */
    private void syncDirectory(Path directory) throws IOException {
        if (!directoriesSyncable) {
            return;
        }
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (AccessDeniedException e) { // what Windows throws for a directory opened as a channel
            directoriesSyncable = false;
            LOG.warn("This platform cannot sync directories ({}): a rename of a new object is not forced to disk", e.toString());
        }
    }

    /**
     * Starts flushing what is written while the rest still arrives: the kernel would hold a whole image's pages until the
     * final fdatasync and then write them all while the upload waits. Every {@link #STEP} bytes one fdatasync runs on a
     * helper thread (never two at once); the final one then has only the tail left. A helper's failure is rethrown by
     * {@link #finish}: Linux reports a writeback error once per descriptor, so the final fdatasync might not see it again.
     */
    private static final class WriteBehind {
        static final long STEP = 2L * 1024 * 1024;
        private static final ExecutorService FLUSHERS = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "imgstream-write-behind");
            t.setDaemon(true);
            return t;
        });

        private final FileChannel file;
        private long requested;
        private Future<?> inFlight;

        WriteBehind(FileChannel file) {
            this.file = file;
        }

        /** After each write; a flush that failed meanwhile fails the write here, not only at the end. */
        void written(long total) throws IOException {
            if (total - requested >= STEP && (inFlight == null || inFlight.isDone())) {
                finish();
                requested = total;
                inFlight = FLUSHERS.submit(() -> {
                    file.force(false);
                    return null;
                });
            }
        }

        void awaitQuietly() {
            try {
                finish();
            } catch (IOException e) {
                LOG.debug("write-behind flush of an abandoned object failed", e);
            }
        }

        /** Waits for the flush in flight and rethrows its failure. */
        void finish() throws IOException {
            if (inFlight == null) {
                return;
            }
            try {
                inFlight.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while flushing");
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
        }
    }

    /**
     * Runs in {@code finally}: throwing here would replace the write's own outcome (a stored object, or the failure the
     * caller must hear). A temporary file left behind is removed by cleanup ({@link #removeUnfinishedWrites}).
     */
    private static void removeTemporary(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("Temporary file {} could not be removed now; cleanup removes it later: {}", p.getFileName(), e.toString());
        }
    }
}
