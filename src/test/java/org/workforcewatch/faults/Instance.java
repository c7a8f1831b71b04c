package org.workforcewatch.faults;

import java.time.Duration;
import java.util.function.Consumer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.codec.json.JacksonJsonDecoder;
import org.springframework.http.codec.json.JacksonJsonEncoder;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.workforcewatch.WorkforceWatchApplication;
import tools.jackson.databind.json.JsonMapper;

/** One running instance of the whole service on a random port, pointed at a database by its URL. */
final class Instance implements AutoCloseable {

    /** admin:test, the test administrator. */
    static final String ADMIN = "Basic YWRtaW46dGVzdA==";

    private final ConfigurableApplicationContext context;
    final WebTestClient web;
    final DatabaseClient db;

    private Instance(ConfigurableApplicationContext context) {
        this.context = context;
        this.web = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port())
                .defaultHeader(HttpHeaders.AUTHORIZATION, ADMIN)
                .responseTimeout(Duration.ofMinutes(2)).build();
        this.db = context.getBean(DatabaseClient.class);
    }

    static Instance start(KillablePostgres database) {
        return new Instance(new SpringApplicationBuilder(WorkforceWatchApplication.class, OwnNetworkThreads.class).run(
                "--workforce.database.url=" + database.url(), "--server.port=0", "--workforce.demo.enabled=false"));
    }

    int port() {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    /** A reactive client of this instance, reading and writing JSON as the service does, for requests a test must not wait on. */
    WebClient client() {
        JsonMapper json = context.getBean(JsonMapper.class);
        return WebClient.builder().baseUrl("http://127.0.0.1:" + port()).defaultHeader(HttpHeaders.AUTHORIZATION, ADMIN)
                .codecs(codecs -> {
                    codecs.defaultCodecs().jacksonJsonDecoder(new JacksonJsonDecoder(json));
                    codecs.defaultCodecs().jacksonJsonEncoder(new JacksonJsonEncoder(json));
                })
                .build();
    }

    /** Hears every event of this type the service publishes from now on. */
    <E> void listen(Class<E> type, Consumer<E> listener) {
        context.addApplicationListener((ApplicationListener<ApplicationEvent>) event -> {
            if (event instanceof PayloadApplicationEvent<?> payload && type.isInstance(payload.getPayload())) {
                listener.accept(type.cast(payload.getPayload()));
            }
        });
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /**
     * Network threads of its own, as a separate process would have. By default every context in a JVM shares
     * Reactor Netty's global ones, and closing any context would stop them under the others.
     */
    @Configuration(proxyBeanMethods = false)
    static class OwnNetworkThreads {
        @Bean
        ReactorResourceFactory reactorResourceFactory() {
            ReactorResourceFactory resources = new ReactorResourceFactory();
            resources.setUseGlobalResources(false);
            return resources;
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
