package org.workforcewatch.config;

import java.time.Clock;
import java.time.ZoneId;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** "Today" for the whole service: the authority's local date (English councils: Europe/London). */
@Configuration(proxyBeanMethods = false)
class Clocks {

    @Bean
    Clock clock(@Value("${workforce.time-zone:Europe/London}") String zone) {
        return Clock.system(ZoneId.of(zone));
    }
}
