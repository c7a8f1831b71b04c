package org.workforcewatch.ingest.csv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.workforcewatch.ingest.ImportError;
import org.workforcewatch.ingest.UploadLimits;

/**
 * One pass over an uploaded CSV file, fed piece by piece as the bytes arrive: decodes, parses, checks
 * the header and every cell against the dataset, and encodes the rows as PostgreSQL COPY text in chunks
 * of about {@value #CHUNK_BYTES} bytes. A row with a bad cell is encoded too, that cell left empty,
 * so that keys and references are checked on every row and a file's problems (up to {@value #MAX_ERRORS})
 * come in one answer; a file with any problem is then refused whole, so none of its rows is merged.
 * The {@link UploadLimits} bound each line's length and fields and the file's rows.
 */
public final class ParsedUpload implements CsvParser.Sink {

    public static final int MAX_ERRORS = 1000;
    public static final int CHUNK_BYTES = 256 * 1024;

    private final Dataset dataset;
    private final TextDecoder decoder;
    private final CsvParser parser;
    private final ByteBufAllocator allocator;
    private final List<ImportError> errors = new ArrayList<>();
    private final Set<String> warnings = new LinkedHashSet<>();
    private final AtomicLong rows;
    private final long maxRows;
    private boolean rowLimitReported;
    private final List<ByteBuf> ready = new ArrayList<>(2);
    private long errorCount;
    private boolean rereadNeeded;
    private boolean headerRead;
    private boolean headerFailed;
    private List<Column> columns;
    private List<String> headerNames = List.of();
    private Dataset.Layout layout;
    private int[] columnAt;
    private int headerSize;
    private ByteBuf chunk;
    private long staged;
    private final int[] keyAt;
    private final KeyHashes keyHashes = new KeyHashes(KEY_HASH_LIMIT);

    /** Beyond this many rows, duplicate keys are left to the database to find (bounds the memory used). */
    public static final int KEY_HASH_LIMIT = 4_000_000;

    public ParsedUpload(Dataset dataset, Charset charset, ByteBufAllocator allocator, AtomicLong rows, UploadLimits limits) {
        this.dataset = dataset;
        this.decoder = new TextDecoder(charset);
        this.parser = new CsvParser(this, limits.maxLineLength(), limits.maxColumns());
        this.allocator = allocator;
        this.rows = rows;
        this.maxRows = limits.maxRows();
        this.keyAt = dataset.key().stream().mapToInt(dataset::indexOf).toArray();
    }

    /** Reads the next piece of the file; answers the COPY chunks that are now complete. */
    public List<ByteBuf> accept(ByteBuffer bytes) {
        return read(bytes, false);
    }

    /** The end of the file: answers the last COPY chunk. */
    public List<ByteBuf> finish() {
        List<ByteBuf> out = read(ByteBuffer.allocate(0), true);
        if (!rereadNeeded) {
            parser.finish();
            if (!headerRead) {
                error(1L, null, null, "the file is empty: the first line must be the header");
            }
            if (chunk != null && chunk.readableBytes() > 0) {
                ready.add(chunk);
                chunk = null;
            }
            out = drain();
        }
        release();
        return out;
    }

    private List<ByteBuf> read(ByteBuffer bytes, boolean last) {
        if (rereadNeeded) {
            return List.of();
        }
        CharBuffer text;
        try {
            text = decoder.decode(bytes, last);
        } catch (TextDecoder.RereadNeeded e) {
            rereadNeeded = true;
            release();
            return List.of();
        }
        parser.feed(text);
        return drain();
    }

    private List<ByteBuf> drain() {
        if (ready.isEmpty()) {
            return List.of();
        }
        List<ByteBuf> out = List.copyOf(ready);
        ready.clear();
        return out;
    }

    /** Frees what was encoded but will never be sent. */
    public void release() {
        if (chunk != null) {
            chunk.release();
            chunk = null;
        }
        if (hasErrors() || rereadNeeded) {
            ready.forEach(ByteBuf::release);
            ready.clear();
        }
    }

    @Override
    public void record(long line, List<String> fields) {
        if (!headerRead) {
            header(fields);
            return;
        }
        if (headerFailed || overRowLimit(line)) {
            return;
        }
        if (fields.size() != headerSize) {
            // the first field missing, or the first one too many
            error(line, columnName(Math.min(fields.size(), headerSize) + 1), null, "has " + fields.size()
                    + " fields but the header has " + headerSize);
            return;
        }
        String[] values = new String[columns.size()];
        boolean valid = true;
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            String raw = columnAt[i] < 0 ? null : fields.get(columnAt[i]);
            Column.Cell cell = column.canonical(raw);
            if (!cell.ok()) {
                error(line, column.name(), raw, cell.problem());
                valid = false;
            }
            values[i] = cell.ok() ? cell.value() : null;
        }
        if (!valid) {
            // staged with its bad cells empty, so that its sound key and references are checked too, and a row
            // of the same file that refers to it (a team's parent team) is not reported as referring to nothing
            if (layout == null) {
                encode(line, values);
            }
            return;
        }
        if (layout == null) {
            accept(line, values);
        } else {
            layout.expand(values, row -> accept(line, row));
        }
    }

    /** A row whose cells are sound: checked against the row's rules, and staged whatever they say. */
    private void accept(long line, String[] values) {
        dataset.rowRules().accept(new Dataset.Row(dataset, values),
                (column, reason) -> error(line, column, values[dataset.indexOf(column)], reason));
        encode(line, values);
    }

    @Override
    public void problem(long line, int field, String reason) {
        if (headerRead && !headerFailed && overRowLimit(line)) {
            return;
        }
        error(line, columnName(field), null, reason);
        if (!headerRead) {
            headerRead = true;
            headerFailed = true;
        }
    }

    /** Counts a data line; past the row limit, reports it once and answers true for every line after. */
    private boolean overRowLimit(long line) {
        if (rows.incrementAndGet() <= maxRows) {
            return false;
        }
        if (!rowLimitReported) {
            rowLimitReported = true;
            error(line, null, null, "the file has more than " + maxRows + " rows, the limit for one file: split it into"
                    + " smaller files, each with the header line, and import them one after another with extract=partial");
        }
        return true;
    }

    /** A field's column as the header names it, or its position when the header gives no name. */
    private String columnName(int position) {
        String name = position <= headerNames.size() ? headerNames.get(position - 1) : "";
        return name.isEmpty() ? "column " + position : name;
    }

    private void header(List<String> fields) {
        headerRead = true;
        headerSize = fields.size();
        List<String> names = new ArrayList<>();
        for (String f : fields) {
            names.add(Dataset.normaliseHeader(f));
        }
        headerNames = names;
        if (dataset.alternative() != null && dataset.alternative().recognises(names)) {
            layout = dataset.alternative();
            columns = layout.columns();
            warnings.add("read as " + layout.description());
        } else {
            columns = dataset.columns();
        }
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            Integer earlier = position.putIfAbsent(names.get(i), i);
            if (earlier != null && !names.get(i).isEmpty()) {
                error(1L, names.get(i), fields.get(i), "column appears twice in the header (columns " + (earlier + 1)
                        + " and " + (i + 1) + ")");
                headerFailed = true;
            }
        }
        columnAt = new int[columns.size()];
        Set<String> known = new LinkedHashSet<>();
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            known.add(c.name());
            columnAt[i] = position.getOrDefault(c.name(), -1);
            if (columnAt[i] < 0 && c.required()) {
                error(1L, c.name(), null, "required column is missing from the header (expected columns: "
                        + String.join(", ", columnNames(columns)) + ")");
                headerFailed = true;
            }
        }
        for (int i = 0; i < names.size(); i++) {
            if (!known.contains(names.get(i))) {
                warnings.add("unknown column ignored: " + (fields.get(i).isBlank() ? "(column " + (i + 1) + ", no name)"
                        : ImportError.shown(fields.get(i).strip())));
            }
        }
    }

    private static List<String> columnNames(List<Column> columns) {
        List<String> names = new ArrayList<>();
        for (Column c : columns) {
            names.add(c.name());
        }
        return names;
    }

    private void error(Long line, String column, String value, String reason) {
        errorCount++;
        if (errors.size() < MAX_ERRORS) {
            errors.add(new ImportError(line, ImportError.shown(column), ImportError.shown(value), reason));
        }
    }


    /** PostgreSQL COPY text format: tab-separated, \N for null, backslash escapes. */
    private void encode(long line, String[] values) {
        keyHashes.add(values, keyAt);
        staged++;
        if (chunk == null) {
            chunk = allocator.buffer(CHUNK_BYTES + 4096);
        }
        writeAscii(chunk, Long.toString(line));
        for (String v : values) {
            chunk.writeByte('\t');
            if (v == null) {
                chunk.writeByte('\\').writeByte('N');
            } else {
                writeEscaped(chunk, v);
            }
        }
        chunk.writeByte('\n');
        if (chunk.readableBytes() >= CHUNK_BYTES) {
            ready.add(chunk);
            chunk = null;
        }
    }

    private static void writeAscii(ByteBuf buf, String s) {
        buf.writeCharSequence(s, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static void writeEscaped(ByteBuf buf, String v) {
        boolean plain = true;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' || c == '\t' || c == '\n' || c == '\r' || c > 0x7F) {
                plain = false;
                break;
            }
        }
        if (plain) {
            writeAscii(buf, v);
            return;
        }
        String escaped = v.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
        io.netty.buffer.ByteBufUtil.writeUtf8(buf, escaped);
    }

    /** Rows sent to the staging table (a published-file line may give several). */
    public long staged() {
        return staged;
    }

    /** Whether the file was read in another layout (the Department's published file), whose lines each give several rows. */
    public boolean expanded() {
        return layout != null;
    }

    /** False only when every staged key is certainly distinct, so the database need not look for repeats. */
    public boolean mayHaveDuplicateKeys() {
        return keyHashes.mayRepeat();
    }

    public boolean hasErrors() {
        return errorCount > 0;
    }

    public boolean rereadNeeded() {
        return rereadNeeded;
    }

    public List<ImportError> errors() {
        return errors;
    }

    public long errorCount() {
        return errorCount;
    }

    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    public Charset charset() {
        return decoder.charset();
    }
}
