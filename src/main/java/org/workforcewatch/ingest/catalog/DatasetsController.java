package org.workforcewatch.ingest.catalog;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.workforcewatch.ingest.ImportReceipt;
import org.workforcewatch.ingest.csv.Dataset;
import org.workforcewatch.ingest.csv.Datasets;
import org.workforcewatch.ingest.ssd.SsdExtract;

/** {@code GET /api/datasets}: the contract as data, every file a council may send, in load order. */
@RestController
class DatasetsController {

    /** Each dataset's columns, key and load order: the native files, then the Standard Safeguarding Dataset tables. */
    @GetMapping("/api/datasets")
    List<Map<String, Object>> datasets() {
        return Stream.concat(Datasets.all().stream(), SsdExtract.tables().stream()).map(d -> Map.<String, Object>of(
                "dataset", d.name(),
                "key", d.key(),
                "columns", d.columns().stream().map(c -> Map.of("name", c.name(), "required", c.required(),
                        "kind", c.kind().name().toLowerCase(Locale.ROOT), "allowed", c.allowed())).toList(),
                "format_version", ImportReceipt.FORMAT_VERSION)).toList();
    }
}
