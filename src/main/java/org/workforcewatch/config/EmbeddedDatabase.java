package org.workforcewatch.config;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A PostgreSQL server run by the service itself from binaries on the class path, with its data in a
 * fixed folder so that it survives restarts. One server per data folder per JVM: several Spring
 * contexts (tests) share it, and it stops when the JVM exits.
 * <p>
 * Nobody signs in without a password ({@link EmbeddedRoles}): the service as {@code workforce_app}, the migrations
 * as {@code workforce_owner}, which owns the schema, with passwords made at the folder's first start and kept in it
 * ({@link EmbeddedCredentials}). The server listens on 127.0.0.1 only. A server left running on the folder by a
 * run that was killed is stopped first ({@link LeftoverPostmaster}), so that a start after a crash succeeds at once.
 */
public final class EmbeddedDatabase {

    private static final Log log = LogFactory.getLog(EmbeddedDatabase.class);
    private static final Map<Path, EmbeddedDatabase> running = new ConcurrentHashMap<>();

    /** How long a server left running by an earlier run may take to stop before it is stopped at once. */
    private static final Duration LEFTOVER_PATIENCE = Duration.ofSeconds(60);

    private final Path dataDir;
    private final EmbeddedPostgres postgres;
    private final EmbeddedCredentials credentials;

    private EmbeddedDatabase(Path dataDir, EmbeddedPostgres postgres, EmbeddedCredentials credentials) {
        this.dataDir = dataDir;
        this.postgres = postgres;
        this.credentials = credentials;
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
        return start(dataDir, port, durable, fresh, log);
    }

    /** As {@link #start(Path, int, boolean, boolean)}, saying what it did to the folder in {@code messages}. */
    static EmbeddedDatabase start(Path dataDir, int port, boolean durable, boolean fresh, Log messages) {
        Path dir = dataDir.toAbsolutePath().normalize();
        if (fresh) {
            dir = dir.resolveSibling(dir.getFileName() + "-" + ProcessHandle.current().pid());
        }
        return running.computeIfAbsent(dir, d -> launch(d, port, durable, fresh, messages));
    }

    private static EmbeddedDatabase launch(Path dir, int port, boolean durable, boolean fresh, Log messages) {
        try {
            if (fresh) {
                deleteTree(dir);
            }
            Files.createDirectories(dir.getParent());
            // The binaries unpack into a working folder of their own; the data lives outside it.
            Path workDir = dir.getParent().resolve(dir.getFileName() + "-bin");
            Files.createDirectories(workDir);
            PostgresBinaries.INSTANCE.unpackInto(workDir);
            EmbeddedCredentials kept = Files.exists(dir) ? EmbeddedCredentials.read(dir) : null;
            EmbeddedCredentials credentials = kept != null ? kept : EmbeddedCredentials.generate();
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(workDir.toFile())
                    .setPgBinaryResolver(PostgresBinaries.INSTANCE)
                    // runs on the folder (created, and locked against another start) before the server starts
                    .setDataDirectoryCustomizer(folder -> {
                        LeftoverPostmaster.clear(dir, LEFTOVER_PATIENCE, messages);
                        if (kept == null) {
                            messages.info("Securing the embedded PostgreSQL in " + dir + ": roles " + EmbeddedCredentials.OWNER
                                    + " and " + EmbeddedCredentials.SERVICE + " with passwords kept in " + EmbeddedCredentials.FILE);
                            EmbeddedRoles.secure(dir, credentials);
                        }
                        EmbeddedRoles.writeSignInRules(dir);
                    })
                    // the library checks the server is up as the superuser
                    .setConnectConfig("password", credentials.superuser())
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("unix_socket_directories", "''")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("shared_buffers", "128MB")
                    .setServerConfig("fsync", durable ? "on" : "off")
                    .setServerConfig("synchronous_commit", durable ? "on" : "off")
                    .setServerConfig("full_page_writes", durable ? "on" : "off");
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres pg;
            try {
                pg = builder.start();
            } catch (IllegalStateException e) {
                if (String.valueOf(e.getMessage()).startsWith("could not lock")) {
                    throw new IllegalStateException("The embedded PostgreSQL in " + dir + " is in use by another running"
                            + " Workforce Watch: stop it first, or give this one a data folder of its own"
                            + " (workforce.embedded.data-dir)", e);
                }
                throw e;
            }
            EmbeddedDatabase db = new EmbeddedDatabase(dir, pg, credentials);
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

    /** Where the service connects: its own role, which may read and change the data but not the schema or the audit. */
    public DatabaseLocation location() {
        return new DatabaseLocation("127.0.0.1", postgres.getPort(), "postgres", EmbeddedCredentials.SERVICE,
                credentials.service());
    }

    /** Where the migrations connect: the role that owns the schema. */
    public DatabaseLocation migrationLocation() {
        return new DatabaseLocation("127.0.0.1", postgres.getPort(), "postgres", EmbeddedCredentials.OWNER,
                credentials.owner());
    }

    /** The file in the data folder that keeps the roles' passwords (readable by the service's user only). */
    public Path credentialsFile() {
        return dataDir.resolve(EmbeddedCredentials.FILE);
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
