package org.workforcewatch.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import org.workforcewatch.ingest.ImportError;
import org.workforcewatch.ingest.UploadLimits;

/**
 * What the reader of an upload stages for the database's checks: every row it can line up with the header, a bad
 * cell left empty, so that keys and references are checked on all of them and come in the same answer as the cells.
 */
class StagedRowsTest {

    private static final UploadLimits LIMITS = new UploadLimits(DataSize.ofMegabytes(1), 1000, 200, 65536, DataSize.ofMegabytes(1),
            1000, DataSize.ofMegabytes(1), "");

    private record Read(List<String> staged, List<ImportError> errors) {
    }

    private static Read read(String dataset, String csv) {
        ParsedUpload parsed = new ParsedUpload(Datasets.byName(dataset).orElseThrow(), StandardCharsets.UTF_8,
                UnpooledByteBufAllocator.DEFAULT, new AtomicLong(), LIMITS);
        List<ByteBuf> chunks = new ArrayList<>(parsed.accept(ByteBuffer.wrap(csv.getBytes(StandardCharsets.UTF_8))));
        chunks.addAll(parsed.finish());
        StringBuilder copy = new StringBuilder();
        for (ByteBuf chunk : chunks) {
            copy.append(chunk.toString(StandardCharsets.UTF_8));
            chunk.release();
        }
        return new Read(copy.toString().lines().toList(), parsed.errors());
    }

    @Test
    void aRowWithABadCellIsStagedWithThatCellEmptyBesideTheSoundRows() {
        Read read = read("teams", """
                team_id,team_name,service,team_type,parent_team_id
                T1,North,Front Door,social_care,
                T2,South,Front Door,assessment,T1
                T3,East,Front Door,assessment,T9
                """);
        assertThat(read.errors()).extracting(ImportError::line, ImportError::column).containsExactly(tuple(2L, "team_type"));
        assertThat(read.staged()).containsExactly(
                "2\tT1\tNorth\tFront Door\t\\N\t\\N",
                "3\tT2\tSouth\tFront Door\tassessment\tT1",
                "4\tT3\tEast\tFront Door\tassessment\tT9");
    }

    @Test
    void aRowThatBreaksARowRuleIsStagedAsItIs() {
        Read read = read("staff", """
                staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding
                S1,T99,social_worker,permanent,1,2024-05-01,2024-04-01,resigned,Y
                """);
        assertThat(read.errors()).extracting(ImportError::column).containsExactly("end_date");
        assertThat(read.staged()).singleElement().asString().startsWith("2\tS1\tT99\t");
    }

    @Test
    void aLineWithTooFewFieldsCannotBeLinedUpAndIsNotStaged() {
        Read read = read("teams", """
                team_id,team_name,service,team_type
                T1,North,Front Door
                T2,South,Front Door,assessment
                """);
        assertThat(read.errors()).extracting(ImportError::line).containsExactly(2L);
        assertThat(read.staged()).singleElement().asString().startsWith("3\tT2\t");
    }
}
