package org.workforcewatch.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.workforcewatch.ingest.ImportError;

/** A refused file's problems, from reading its cells and from checking its keys and references, in one answer. */
class FileProblemsTest {

    private static ImportError at(long line, String column) {
        return new ImportError(line, column, "x", "bad " + column);
    }

    @Test
    void cellAndReferenceProblemsAreListedTogetherByLineCellsFirstOnTheSameLine() {
        Importer.FileProblems problems = Importer.FileProblems.merge(
                List.of(at(1, "header"), at(2, "employment"), at(7, "fte")), 3,
                List.of(at(3, "team_id"), at(7, "team_id"), at(9, "staff_id")));
        assertThat(problems.shown()).extracting(ImportError::line).containsExactly(1L, 2L, 3L, 7L, 7L, 9L);
        assertThat(problems.shown().get(3).column()).isEqualTo("fte");
        assertThat(problems.shown().get(4).column()).isEqualTo("team_id");
        assertThat(problems.count()).isEqualTo(6);
    }

    @Test
    void atMostAThousandAreListedTheEarliestLinesButAllAreCounted() {
        List<ImportError> cells = new ArrayList<>();
        for (long line = 2; line < 2 + ParsedUpload.MAX_ERRORS; line++) {
            cells.add(at(line, "fte"));
        }
        // 1,500 bad cells in all, of which the reader kept the first thousand
        Importer.FileProblems problems = Importer.FileProblems.merge(cells, 1500, List.of(at(5, "team_id"), at(5000, "team_id")));
        assertThat(problems.shown()).hasSize(ParsedUpload.MAX_ERRORS);
        assertThat(problems.shown()).extracting(ImportError::column).containsOnlyOnce("team_id");
        assertThat(problems.shown().get(ParsedUpload.MAX_ERRORS - 1).line()).isEqualTo(ParsedUpload.MAX_ERRORS);
        assertThat(problems.count()).isEqualTo(1502);
    }

    @Test
    void noProblemsCountNone() {
        assertThat(Importer.FileProblems.merge(List.of(), 0, List.of()).count()).isZero();
    }
}
