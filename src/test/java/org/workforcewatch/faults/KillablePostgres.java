package org.workforcewatch.faults;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A PostgreSQL server that a test can kill and start again, on a fixed port with its data under
 * {@code target/faults/}. The embedded binaries create the cluster; from then on {@code pg_ctl} runs it, so
 * that {@link #kill()} can stop it as abruptly as a crash ({@code -m immediate}: every backend killed, no
 * checkpoint) and {@link #start()} brings the same data back after crash recovery.
 * <p>
 * Commits are synchronous, as in production: a commit answered before the kill must survive it. fsync is
 * off, which a killed process does not need (the operating system keeps what was written).
 */
final class KillablePostgres implements AutoCloseable {

    private static final Path ROOT = Path.of("target", "faults").toAbsolutePath();

    private final Path dataDir;
    private final Path serverLog;
    private final Path pgCtl;
    private final int port;
    private final Thread stopAtExit = new Thread(this::stopQuietly, "killable-postgres-stop");

    private KillablePostgres(Path dataDir, Path pgCtl, int port) {
        this.dataDir = dataDir;
        this.serverLog = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        this.pgCtl = pgCtl;
        this.port = port;
    }

    /** A new, empty, running server. */
    static KillablePostgres create(String name) {
        try {
            Path dataDir = ROOT.resolve(name + "-" + ProcessHandle.current().pid());
            deleteTree(dataDir);
            Path binaries = ROOT.resolve("bin");
            Files.createDirectories(binaries);
            int port = freePort();
            // initdb, then a clean stop: pg_ctl takes over below
            // (the library extracts its binaries once per JVM: if another test already did, they are elsewhere, so
            // pg_ctl is found beside the running server's own program)
            Path pgCtl;
            try (EmbeddedPostgres first = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(binaries.toFile()).setPort(port).start()) {
                pgCtl = besideServer(dataDir, "pg_ctl");
            }
            KillablePostgres pg = new KillablePostgres(dataDir, pgCtl, port);
            Runtime.getRuntime().addShutdownHook(pg.stopAtExit);
            pg.start();
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The setting that points the service at this server. */
    String url() {
        return "postgresql://postgres@127.0.0.1:" + port + "/postgres";
    }

    /** A plain JDBC connection to the server, outside the service. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
    }

    /** Starts the server on its data (after a kill: crash recovery first) and waits until it accepts connections. */
    void start() {
        pgCtl("-D", dataDir.toString(), "-l", serverLog.toString(), "-w", "-t", "60", "-o",
                "-p " + port + " -c listen_addresses=127.0.0.1 -c max_connections=100 -c fsync=off"
                        + " -c synchronous_commit=on -c full_page_writes=off", "start");
    }

    /** Starts the server if it is not running (after a test that failed with it killed). */
    void ensureRunning() {
        if (!running()) {
            start();
        }
    }

    private boolean running() {
        return Files.exists(dataDir.resolve("postmaster.pid"));
    }

    /** Kills the server as a crash would: backends end at once, open transactions are lost, nothing is checkpointed. */
    void kill() {
        pgCtl("-D", dataDir.toString(), "-m", "immediate", "-w", "stop");
    }

    @Override
    public void close() {
        stopQuietly();
        Runtime.getRuntime().removeShutdownHook(stopAtExit);
        deleteTree(dataDir);
    }

    private void stopQuietly() {
        if (running()) {
            pgCtl("-D", dataDir.toString(), "-m", "fast", "-w", "stop");
        }
    }

    private void pgCtl(String... args) {
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("unshare", "-U")); // PostgreSQL refuses to run as root; the embedded server does the same
        }
        command.add(pgCtl.toString());
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(serverLog.resolveSibling(dataDir.getFileName() + "-pg_ctl.log")
                            .toFile()))
                    .start();
            int exit = p.waitFor();
            if (exit != 0) {
                throw new IllegalStateException("pg_ctl " + String.join(" ", args) + " failed with exit code " + exit
                        + "; see " + serverLog);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A program of the PostgreSQL installation whose server runs on this data directory. */
    private static Path besideServer(Path dataDir, String program) throws IOException {
        long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).strip());
        Path server = Path.of("/proc", String.valueOf(pid), "exe").toRealPath();
        Path found = server.resolveSibling(program);
        if (!Files.isExecutable(found)) {
            throw new IllegalStateException("no " + program + " beside " + server);
        }
        return found;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
