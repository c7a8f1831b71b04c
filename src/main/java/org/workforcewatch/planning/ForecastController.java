package org.workforcewatch.planning;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** GET /api/forecast (a projection) and GET /api/forecast/backtest (how good projections have been). */
@RestController
class ForecastController {

    private final ForecastAnswers forecasts;
    private final Backtest backtest;

    ForecastController(ForecastAnswers forecasts, Backtest backtest) {
        this.forecasts = forecasts;
        this.backtest = backtest;
    }

    @GetMapping("/api/forecast")
    Mono<Projection> forecast(@RequestParam(defaultValue = "authority") String level, @RequestParam(required = false) String scope,
                              @RequestParam(defaultValue = "12") int months) {
        return forecasts.baseline(level, scope, months);
    }

    @GetMapping("/api/forecast/backtest")
    Mono<Backtest.Report> backtest() {
        return backtest.run();
    }
}
