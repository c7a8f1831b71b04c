package org.workforcewatch.indicators;

import java.util.Arrays;
import java.util.Optional;

/**
 * The measures of the benchmarks dataset, each with the one fact a comparison needs: whether a higher
 * value is better. A measure that is an indicator's published counterpart takes the indicator's polarity
 * (rates and caseloads are better low); the one that is no indicator says so itself: a larger employed
 * workforce (FTE) is better.
 */
enum BenchmarkMeasure {
    CASELOAD_PER_FTE("caseload_per_fte", null),
    AGENCY_RATE("agency_rate", null),
    VACANCY_RATE("vacancy_rate", null),
    TURNOVER_RATE("turnover_rate", null),
    ABSENCE_RATE("absence_rate", null),
    FTE("fte", true);

    private final String id;
    /** Only for a measure that is no indicator's counterpart; null: the indicator's polarity decides. */
    private final Boolean higherIsBetter;

    BenchmarkMeasure(String id, Boolean higherIsBetter) {
        this.id = id;
        this.higherIsBetter = higherIsBetter;
    }

    /** The measure's name in the benchmarks dataset. */
    String id() {
        return id;
    }

    boolean higherIsBetter() {
        return higherIsBetter != null ? higherIsBetter
                : indicator().orElseThrow().polarity() == Indicator.Polarity.HIGHER_IS_BETTER;
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
        // and a measure that is no indicator's counterpart has no polarity to take: it must state its own
        for (BenchmarkMeasure b : values()) {
            if ((b.higherIsBetter == null) == b.indicator().isEmpty()) {
                throw new IllegalStateException("benchmark measure " + b.id + (b.higherIsBetter == null
                        ? " is no indicator's counterpart and states no direction" : " states a direction beside its indicator's polarity"));
            }
        }
    }
}
