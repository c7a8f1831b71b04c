package org.workforcewatch.ingest;

import java.util.List;

/** An upload that breaks the contract: nothing of it was applied; every problem found is listed. */
public final class ImportRejected extends RuntimeException {

    private final long importId;
    private final String dataset;
    private final long rows;
    private final long errorCount;
    private final List<ImportError> errors;

    public ImportRejected(long importId, String dataset, long rows, long errorCount, List<ImportError> errors) {
        super(errorCount + (errorCount == 1 ? " problem" : " problems") + " in the " + dataset
                + " file: nothing was imported", null, false, false);
        this.importId = importId;
        this.dataset = dataset;
        this.rows = rows;
        this.errorCount = errorCount;
        this.errors = List.copyOf(errors);
    }

    public long importId() {
        return importId;
    }

    public String dataset() {
        return dataset;
    }

    public long rows() {
        return rows;
    }

    public long errorCount() {
        return errorCount;
    }

    public List<ImportError> errors() {
        return errors;
    }
}
