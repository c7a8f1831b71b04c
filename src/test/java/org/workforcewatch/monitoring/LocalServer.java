package org.workforcewatch.monitoring;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real server program from a Debian package, for tests: run in its own temp directory on a free
 * loopback port, its output in target/&lt;name&gt;-&lt;port&gt;.log, ready when {@code /-/ready} answers 200 (as
 * Prometheus and Alertmanager do), stopped and its directory deleted on close.
 */
final class LocalServer implements AutoCloseable {

    private final Process process;
    private final Path dir;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private LocalServer(Process process, Path dir, int port, Path log) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.log = log;
    }

    /** What a program needs to start: its directory (for files it reads) and its port. */
    interface Command {
        List<String> arguments(Path dir, int port) throws IOException;
    }

    /**
     * Starts the program (failing with the Debian package to install when it is missing) and waits until
     * it is ready.
     */
    static LocalServer start(Path binary, String debianPackage, Command command) {
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(binary + " is missing: install the Debian package `" + debianPackage
                    + "` (apt-get install " + debianPackage + ") to run this test");
        }
        try {
            Path dir = Files.createTempDirectory(binary.getFileName() + "-test-");
            int port = freePort();
            Path log = Path.of("target", binary.getFileName() + "-" + port + ".log").toAbsolutePath();
            Files.createDirectories(log.getParent());
            List<String> line = new ArrayList<>(List.of(binary.toString()));
            line.addAll(command.arguments(dir, port));
            Process process = new ProcessBuilder(line).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            LocalServer server = new LocalServer(process, dir, port, log);
            try {
                server.awaitReady(binary.getFileName().toString());
            } catch (RuntimeException | Error e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    Path log() {
        return log;
    }

    HttpResponse<String> get(String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address() + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitReady(String name) {
        await(name + " ready on port " + port + " (log: " + log + ")").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).ignoreException(UncheckedIOException.class)
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + logTail());
                    }
                    return get("/-/ready").statusCode() == 200;
                });
    }

    /** The last lines of the log, for a failure message. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
