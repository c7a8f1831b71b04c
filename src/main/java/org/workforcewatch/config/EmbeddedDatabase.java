package org.workforcewatch.config;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A PostgreSQL server run by the service itself from binaries on the class path, with its data in a
 * fixed folder so that it survives restarts. One server per data folder per JVM: several Spring
 * contexts (tests) share it, and it stops when the JVM exits.
 */
public final class EmbeddedDatabase {

    private static final Log log = LogFactory.getLog(EmbeddedDatabase.class);
    private static final Map<Path, EmbeddedDatabase> running = new ConcurrentHashMap<>();

    private final Path dataDir;
    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(Path dataDir, EmbeddedPostgres postgres) {
        this.dataDir = dataDir;
        this.postgres = postgres;
    }

    /** Starts the server for this folder, or returns the one already running in this JVM. */
    public static EmbeddedDatabase start(Path dataDir, int port, boolean durable) {
        return start(dataDir, port, durable, false);
    }

    /**
     * As {@link #start(Path, int, boolean)}; {@code fresh} gives this JVM a new folder of its own beside the
     * named one, removed when the JVM exits, so test runs start from nothing and never share a server.
     */
    public static EmbeddedDatabase start(Path dataDir, int port, boolean durable, boolean fresh) {
        Path dir = dataDir.toAbsolutePath().normalize();
        if (fresh) {
            dir = dir.resolveSibling(dir.getFileName() + "-" + ProcessHandle.current().pid());
        }
        return running.computeIfAbsent(dir, d -> launch(d, port, durable, fresh));
    }

    private static EmbeddedDatabase launch(Path dir, int port, boolean durable, boolean fresh) {
        try {
            if (fresh) {
                deleteTree(dir);
            }
            Files.createDirectories(dir.getParent());
            // The binaries unpack into a working folder of their own; the data lives outside it.
            Path workDir = dir.getParent().resolve(dir.getFileName() + "-bin");
            Files.createDirectories(workDir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(workDir.toFile())
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("shared_buffers", "128MB")
                    .setServerConfig("fsync", durable ? "on" : "off")
                    .setServerConfig("synchronous_commit", durable ? "on" : "off")
                    .setServerConfig("full_page_writes", durable ? "on" : "off");
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres pg = builder.start();
            EmbeddedDatabase db = new EmbeddedDatabase(dir, pg);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                db.stop();
                if (fresh) {
                    deleteTree(dir);
                }
            }, "embedded-postgres-stop"));
            return db;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("Could not remove " + dir + ": " + e.getMessage());
        }
    }

    public DatabaseLocation location() {
        return new DatabaseLocation("localhost", postgres.getPort(), "postgres", "postgres", null);
    }

    /** Stops the server; a later {@link #start} on the same folder finds the same data. */
    public void stop() {
        if (running.remove(dataDir, this)) {
            try {
                postgres.close();
            } catch (IOException e) {
                log.warn("Embedded PostgreSQL did not stop cleanly: " + e.getMessage());
            }
        }
    }
}
