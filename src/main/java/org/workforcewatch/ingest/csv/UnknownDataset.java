package org.workforcewatch.ingest.csv;

import java.util.List;

/** An import for a dataset the contract does not define. */
public final class UnknownDataset extends RuntimeException {
    /** @param names the datasets there are, said in the answer */
    public UnknownDataset(String name, List<String> names) {
        super("no dataset named '" + name + "'; the datasets are: " + String.join(", ", names), null, false, false);
    }
}
