package org.workforcewatch.ingest;

/** An import for a dataset the contract does not define. */
public final class UnknownDataset extends RuntimeException {
    UnknownDataset(String name) {
        super("no dataset named '" + name + "'; the datasets are: " + String.join(", ", Datasets.loadOrder()), null, false, false);
    }
}
