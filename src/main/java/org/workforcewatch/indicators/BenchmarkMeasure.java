package org.workforcewatch.indicators;

import java.util.Arrays;
import java.util.Optional;

/**
 * The measures of the benchmarks dataset, each with the one fact a comparison needs: whether a higher
 * value is better. Rates and caseloads are better low (high turnover, agency use, vacancies, caseloads
 * or absence are bad); a larger employed workforce (FTE) is better.
 */
enum BenchmarkMeasure {
    CASELOAD_PER_FTE("caseload_per_fte", false),
    AGENCY_RATE("agency_rate", false),
    VACANCY_RATE("vacancy_rate", false),
    TURNOVER_RATE("turnover_rate", false),
    ABSENCE_RATE("absence_rate", false),
    FTE("fte", true);

    private final String id;
    private final boolean higherIsBetter;

    BenchmarkMeasure(String id, boolean higherIsBetter) {
        this.id = id;
        this.higherIsBetter = higherIsBetter;
    }

    /** The measure's name in the benchmarks dataset. */
    String id() {
        return id;
    }

    boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** The indicator whose published counterpart this is; empty for FTE, which is no indicator. */
    Optional<Indicator> indicator() {
        return Arrays.stream(Indicator.values()).filter(i -> i.publishedMeasure().filter(id::equals).isPresent()).findFirst();
    }

    static {
        // an indicator given a published counterpart without a direction here would be compared the wrong way round
        for (Indicator i : Indicator.values()) {
            i.publishedMeasure().ifPresent(m -> {
                if (Arrays.stream(values()).noneMatch(b -> b.id.equals(m))) {
                    throw new IllegalStateException("indicator " + i.id() + " names published measure " + m
                            + ", which BenchmarkMeasure does not know");
                }
            });
        }
    }
}
