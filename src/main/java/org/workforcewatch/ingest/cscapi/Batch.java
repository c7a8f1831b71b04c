package org.workforcewatch.ingest.cscapi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import tools.jackson.databind.JsonNode;

/**
 * One request's or file's child records as they are read: each checked, the sound ones turned into staging rows
 * handed on in pieces of about {@value #CHUNK} bytes for COPY, the problems of all of them kept (the first
 * {@value #MAX_LISTED}, and how many in all). Not thread-safe: one reader feeds it in order.
 */
final class Batch {

    static final int CHUNK = 256 * 1024;
    static final int MAX_LISTED = 1000;

    private final boolean full;
    private final int maxRecords;
    private final RecordStream stream = new RecordStream();
    private final Map<String, Integer> children = new HashMap<>();
    private final List<RecordReader.Problem> problems = new ArrayList<>();
    private long problemCount;
    private int records;
    private StringBuilder rows = new StringBuilder(CHUNK + 4096);

    Batch(boolean full, int maxRecords) {
        this.full = full;
        this.maxRecords = maxRecords;
    }

    /** Pieces of staging rows ready to be copied after these bytes of the body. */
    List<ByteBuf> feed(byte[] bytes) {
        return take(stream.feed(bytes), false);
    }

    /** The last pieces, at the end of the body. */
    List<ByteBuf> finish() {
        return take(stream.finish(records), true);
    }

    private List<ByteBuf> take(List<JsonNode> read, boolean last) {
        List<ByteBuf> pieces = new ArrayList<>(1);
        for (JsonNode record : read) {
            if (records == maxRecords) {
                ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, "A batch holds at most "
                        + maxRecords + " child records; nothing of it was applied: send the rest in further batches.");
                p.setTitle("Too many records");
                throw new ErrorResponseException(HttpStatus.CONTENT_TOO_LARGE, p, null);
            }
            int index = records++;
            String child = RecordReader.read(index, record, full, this::add, rows);
            if (child != null) {
                Integer first = children.putIfAbsent(child, index);
                if (first != null) {
                    add(new RecordReader.Problem(index, "/" + index + "/la_child_id", "the same child as record " + first
                            + ": send one record per child in a batch"));
                }
            }
            if (rows.length() >= CHUNK) {
                pieces.add(piece());
            }
        }
        if (last && !rows.isEmpty()) {
            pieces.add(piece());
        }
        return pieces;
    }

    private ByteBuf piece() {
        ByteBuf piece = Unpooled.wrappedBuffer(rows.toString().getBytes(StandardCharsets.UTF_8));
        rows = new StringBuilder(CHUNK + 4096);
        return piece;
    }

    private void add(RecordReader.Problem problem) {
        problemCount++;
        if (problems.size() < MAX_LISTED) {
            problems.add(problem);
        }
    }

    int records() {
        return records;
    }

    long problemCount() {
        return problemCount;
    }

    List<RecordReader.Problem> problems() {
        return problems;
    }
}
