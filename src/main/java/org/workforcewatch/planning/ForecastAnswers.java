package org.workforcewatch.planning;

import java.time.Clock;
import java.time.LocalDate;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.workforcewatch.cluster.ChangedElsewhere;
import org.workforcewatch.indicators.Thresholds;
import org.workforcewatch.ingest.DataChanged;
import reactor.core.publisher.Mono;

/**
 * The baseline forecasts as answered (GET /api/forecast): the simulation of the scope with, for the authority, the referee's
 * forecast of its measures beside it (from the day's latest backtest; the first of the day is computed in the background,
 * and the answer says so meanwhile, rather than keeping the asker waiting seconds). An answer is kept until the data, the
 * thresholds (the FTE needed follows their targets) or the day change, so asking again is a lookup; one computation at a
 * time per question, others wait for it.
 */
@Component
public class ForecastAnswers {

    /** Answers kept (scopes and horizons asked for; least recently used go first). */
    private static final int KEPT = 64;

    private final Forecast forecast;
    private final Backtest backtest;
    private final Clock clock;

    private record Question(String level, String scope, int months, LocalDate today) {
    }

    private final KeptAnswers<Question, Answer> answers = new KeptAnswers<>(KEPT);
    private final PlanningSettings settings;

    ForecastAnswers(Forecast forecast, Backtest backtest, Clock clock, PlanningSettings settings) {
        this.settings = settings;
        this.forecast = forecast;
        this.backtest = backtest;
        this.clock = clock;
    }

    /** The baseline forecast of a scope: kept, or computed (with the referee's measures for the authority). */
    public Mono<Projection> baseline(String level, String scope, int months) {
        return Mono.defer(() -> answers.get(new Question(level, "authority".equals(level) ? "authority" : scope, months,
                LocalDate.now(clock)), generation -> compute(level, scope, months), Answer::keep, m -> m).map(Answer::projection));
    }

    /** A computed answer, and whether it may be kept for the data as it is. */
    private record Answer(Projection projection, boolean keep) {
    }

    private Mono<Answer> compute(String level, String scope, int months) {
        Mono<Projection> simulated = forecast.project(level, scope, months, null);
        if (!"authority".equals(level) || !settings.referee()) {
            return simulated.map(p -> new Answer(p, true));
        }
        // the referee's choices from the day's latest backtest: one of earlier data is used but the answer not kept
        return simulated.zipWith(backtest.history(), (p, history) -> backtest.latestOfTheDay()
                .map(latest -> new Answer(Backtest.refereed(p, latest.report(), history), latest.current()))
                .orElseGet(() -> new Answer(p.withRefereeNote(PENDING), false)));
    }

    /** Said in place of the refereed measures while the authority's first backtest of the day is computed. */
    static final String PENDING = "The backtest that chooses the forecasting method for each measure is being computed;"
            + " the refereed measures follow in a moment.";

    /** Answers computed since start (answers from what was kept not counted). */
    long computed() {
        return answers.computed();
    }

    @EventListener(DataChanged.class)
    void dataChanged() {
        answers.dataChanged();
    }

    @EventListener(Thresholds.Changed.class)
    void thresholdsChanged() {
        dataChanged();
    }

    /** Another instance's data or thresholds, or news missed while away. */
    @EventListener
    void changedElsewhere(ChangedElsewhere change) {
        if (java.util.Set.of("data", "thresholds", "reconnected").contains(change.kind())) {
            dataChanged();
        }
    }
}
