package org.workforcewatch.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusOutputFormat;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * /actuator/prometheus: Spring Boot's endpoint for the Micrometer meters (JVM, HTTP, imports, events),
 * followed by the workforce gauges as {@link WorkforceGauges} already wrote them for the asked format.
 * A scrape filtered by name ({@code ?includedNames=}) writes both afresh.
 */
@WebEndpoint(id = "prometheus")
class WorkforceScrapeEndpoint extends PrometheusScrapeEndpoint {

    private final PrometheusRegistry registry;
    private final WorkforceGauges gauges;

    WorkforceScrapeEndpoint(PrometheusRegistry registry, PrometheusConfig config, WorkforceGauges gauges) {
        super(registry, config.prometheusProperties());
        this.registry = registry;
        this.gauges = gauges;
    }

    @Override
    @ReadOperation(producesFrom = PrometheusOutputFormat.class)
    public WebEndpointResponse<byte[]> scrape(PrometheusOutputFormat format, @Nullable Set<String> includedNames) {
        String type = format.getProducedMimeType().toString();
        if (includedNames != null && !includedNames.isEmpty()) {
            List<MetricSnapshot> all = new ArrayList<>();
            registry.scrape(includedNames::contains).forEach(all::add);
            gauges.snapshots().stream().filter(s -> includedNames.contains(s.getMetadata().getPrometheusName())).forEach(all::add);
            return new WebEndpointResponse<>(gauges.write(new MetricSnapshots(all), type), format);
        }
        byte[] meters = super.scrape(format, null).getBody();
        byte[] workforce = gauges.rendered(type);
        // one copy into an array of the exact size: at national scale the gauges are some 14 MB
        int head = WorkforceGauges.endsWithEnd(meters) ? meters.length - WorkforceGauges.END.length : meters.length;
        int end = head < meters.length ? WorkforceGauges.END.length : 0;
        byte[] answer = new byte[head + workforce.length + end];
        System.arraycopy(meters, 0, answer, 0, head);
        System.arraycopy(workforce, 0, answer, head, workforce.length);
        System.arraycopy(WorkforceGauges.END, 0, answer, head + workforce.length, end);
        return new WebEndpointResponse<>(answer, format);
    }

    @Configuration(proxyBeanMethods = false)
    static class Registration {

        /** Takes the place of Spring Boot's own endpoint, which backs off when one is defined. */
        @Bean
        PrometheusScrapeEndpoint prometheusEndpoint(PrometheusRegistry registry, PrometheusConfig config, WorkforceGauges gauges) {
            return new WorkforceScrapeEndpoint(registry, config, gauges);
        }
    }
}
