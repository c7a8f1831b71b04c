package org.workforcewatch.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.commons.logging.Log;

/**
 * A PostgreSQL server left running on the data folder by a service that did not stop it (killed with
 * {@code kill -9}, or crashed). It outlives the service and holds the folder, so that the next start would wait for a
 * server of its own in vain. It is found by the folder's {@code postmaster.pid}, and stopped only once the process
 * that file names is shown to be a PostgreSQL server working in this very folder. A file naming any other live
 * process is stale (its number was reused, after a reboot say) and is removed, the process left alone.
 */
final class LeftoverPostmaster {

    private LeftoverPostmaster() {
    }

    /** Makes sure no server of an earlier run holds this data folder. Call while holding the folder's lock. */
    static void clear(Path dataDir, Duration patience, Log log) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        long pid = pid(pidFile);
        Optional<ProcessHandle> found = pid > 0 ? ProcessHandle.of(pid).filter(ProcessHandle::isAlive) : Optional.empty();
        if (found.isEmpty()) {
            return; // PostgreSQL itself sets aside the file of a server that is gone
        }
        ProcessHandle process = found.get();
        try {
            if (!isServerOf(process, dataDir)) {
                log.warn(pidFile + " names process " + pid + ", which is not a PostgreSQL server of this folder: the file"
                        + " is stale and is removed");
                Files.deleteIfExists(pidFile);
                return;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not check process " + pid + " named by " + pidFile + ": " + e.getMessage(), e);
        }
        log.warn("A PostgreSQL server (process " + pid + ") was left running on " + dataDir + " by an earlier run that"
                + " did not stop it: stopping it");
        // fast shutdown: sessions are ended, a checkpoint is written, the folder is released
        signal(pid, "INT");
        if (!stopped(process, pidFile, patience)) {
            log.warn("The server left running (process " + pid + ") did not stop within " + patience.toSeconds()
                    + " s: stopping it at once (it recovers at the next start)");
            signal(pid, "QUIT");
            if (!stopped(process, pidFile, patience)) {
                throw new IllegalStateException("A PostgreSQL server (process " + pid + ") holds " + dataDir
                        + " and would not stop. Stop it, then start the service again.");
            }
        }
    }

    /** The process number on the first line of postmaster.pid, or 0 without a readable one. */
    private static long pid(Path pidFile) {
        try {
            List<String> lines = Files.exists(pidFile) ? Files.readAllLines(pidFile) : List.of();
            return lines.isEmpty() ? 0 : Long.parseLong(lines.get(0).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** The program is {@code postgres} and it works in this folder (a server changes into its data folder). */
    static boolean isServerOf(ProcessHandle process, Path dataDir) throws IOException {
        boolean postgres = process.info().command()
                .map(command -> Path.of(command).getFileName().toString().equals("postgres")).orElse(false);
        if (!postgres) {
            return false;
        }
        Path workingDir = Path.of("/proc", Long.toString(process.pid()), "cwd");
        if (Files.exists(workingDir, LinkOption.NOFOLLOW_LINKS)) {
            return Files.isSameFile(workingDir, dataDir);
        }
        // without /proc (macOS): the folder it was started on
        return process.info().arguments().map(args -> List.of(args).contains(dataDir.toString())).orElse(false);
    }

    private static void signal(long pid, String signal) {
        try {
            new ProcessBuilder("/bin/sh", "-c", "kill -" + signal + " " + pid).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not signal process " + pid + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until the server has shut down: it removes its postmaster.pid as it ends (the process itself may linger
     * unreaped where nothing collects orphans).
     */
    private static boolean stopped(ProcessHandle process, Path pidFile, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (process.isAlive() && Files.exists(pidFile)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
