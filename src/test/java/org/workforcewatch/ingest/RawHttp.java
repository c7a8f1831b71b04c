package org.workforcewatch.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 written by hand on a socket, for what a client library will not send: a Content-Length the
 * body never reaches, or a malformed request. The answer is read without waiting for the body to be sent.
 */
public final class RawHttp {

    /** Basic admin:test, as every test user has the password {@code test}. */
    public static final String ADMIN = "Basic YWRtaW46dGVzdA==";

    record Answer(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {
    }

    /** A POST that declares {@code declaredLength} bytes but sends only {@code sent}, then reads the answer. */
    static Answer post(int port, String path, String contentType, long declaredLength, byte[] sent) {
        String head = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + ADMIN + "\r\nContent-Type: "
                + contentType + "\r\nContent-Length: " + declaredLength + "\r\n\r\n";
        return exchange(port, head.getBytes(StandardCharsets.ISO_8859_1), sent);
    }

    /** Any bytes as a request; the answer as the server writes it. */
    static Answer exchange(int port, byte[] head, byte[] body) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head);
            out.write(body);
            out.flush();
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A POST whose body is sent chunked by another thread, piece after piece, while the answer is read here: for an
     * answer given before the body ends (or a body the server stops reading). {@code afterEach} runs after each
     * piece is written; after {@code stopAfter} pieces the connection is dropped instead of the body finished (a
     * client that gives up), and no answer is read (null).
     */
    static Answer chunked(int port, String path, String contentType, java.util.List<byte[]> pieces, int stopAfter,
                          Runnable afterEach) {
        String head = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + ADMIN + "\r\nContent-Type: "
                + contentType + "\r\nTransfer-Encoding: chunked\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            Thread sender = new Thread(() -> {
                try {
                    int sent = 0;
                    for (byte[] piece : pieces) {
                        if (sent++ == stopAfter) {
                            socket.close();
                            return;
                        }
                        out.write((Integer.toHexString(piece.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        out.write(piece);
                        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                        afterEach.run();
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (IOException e) {
                    // the server stopped reading and closed the connection: what a limit may do
                }
            }, "raw-http-sender");
            sender.start();
            if (stopAfter < pieces.size()) {
                sender.join(60_000);
                return null;
            }
            Answer answer = read(socket.getInputStream());
            socket.close();
            sender.join(60_000);
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Answer read(InputStream in) throws IOException {
        String status = line(in);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
        }
        byte[] body;
        if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line(in).strip(), 16); size > 0; size = Integer.parseInt(line(in).strip(), 16)) {
                all.write(in.readNBytes(size));
                line(in);
            }
            body = all.toByteArray();
        } else {
            body = in.readAllBytes();
        }
        return new Answer(Integer.parseInt(status.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the connection closed in the middle of the answer: " + line);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
