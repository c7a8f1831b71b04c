package org.workforcewatch.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the PostgreSQL database is: parsed from one setting, {@code workforce.database.url}
 * (environment variable {@code WORKFORCE_DATABASE_URL}), in any of the usual forms:
 * {@code postgresql://user:password@host:5432/db}, {@code jdbc:postgresql://host/db?user=u},
 * or {@code r2dbc:postgresql://...}. Gives the R2DBC URL for the service and the JDBC URL for Flyway.
 */
public record DatabaseLocation(String host, int port, String database, String username, String password) {

    public static DatabaseLocation parse(String url, String username, String password) {
        String plain = url.trim().replaceFirst("^(jdbc:|r2dbc:)", "");
        if (!plain.startsWith("postgresql://") && !plain.startsWith("postgres://")) {
            throw new IllegalArgumentException("workforce.database.url must look like postgresql://user@host:5432/database, got: " + url);
        }
        URI uri = URI.create(plain);
        Map<String, String> query = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        String user = username;
        String pass = password;
        if (uri.getRawUserInfo() != null) {
            String[] info = uri.getRawUserInfo().split(":", 2);
            user = blankToNull(user) == null ? URLDecoder.decode(info[0], StandardCharsets.UTF_8) : user;
            if (info.length > 1 && blankToNull(pass) == null) {
                pass = URLDecoder.decode(info[1], StandardCharsets.UTF_8);
            }
        }
        user = blankToNull(user) == null ? query.getOrDefault("user", "postgres") : user;
        pass = blankToNull(pass) == null ? query.get("password") : pass;
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (uri.getHost() == null || path.isEmpty()) {
            throw new IllegalArgumentException("workforce.database.url needs a host and a database name, got: " + url);
        }
        return new DatabaseLocation(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), path, user, pass);
    }

    public String r2dbcUrl() {
        return "r2dbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** Spring properties that point R2DBC and Flyway at this database, with one credential for both. */
    public Map<String, Object> springProperties() {
        return springProperties(this);
    }

    /**
     * Spring properties that point R2DBC (the service) here and Flyway at {@code migrations}: the role that owns the
     * schema, so that the service's own role need not.
     */
    public Map<String, Object> springProperties(DatabaseLocation migrations) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("spring.r2dbc.url", r2dbcUrl());
        props.put("spring.r2dbc.username", username);
        props.put("spring.flyway.url", migrations.jdbcUrl());
        props.put("spring.flyway.user", migrations.username());
        if (password != null) {
            props.put("spring.r2dbc.password", password);
        }
        if (migrations.password() != null) {
            props.put("spring.flyway.password", migrations.password());
        }
        return props;
    }

    /** The same database as another role. */
    public DatabaseLocation as(String otherUser, String otherPassword) {
        return new DatabaseLocation(host, port, database, otherUser, otherPassword);
    }

    @Override
    public String toString() {
        return "DatabaseLocation[" + username + "@" + host + ":" + port + "/" + database + (password == null ? "" : ", password hidden") + "]";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
