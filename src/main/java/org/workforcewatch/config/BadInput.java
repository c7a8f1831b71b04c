package org.workforcewatch.config;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ServerWebInputException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;

/**
 * What was wrong with a request Spring could not read, in words a user can act on: which parameter or
 * which part of the JSON body, and what it should be. Spring's own words are only "Type mismatch." or
 * "Failed to read HTTP message", and the parser's name Java types, which a client has no use for.
 */
final class BadInput {

    private BadInput() {
    }

    static String describe(ServerWebInputException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof TypeMismatchException mismatch && e.getMethodParameter() != null) {
                MethodParameter p = e.getMethodParameter();
                return "the " + (p.hasParameterAnnotation(PathVariable.class) ? "path segment" : "parameter") + " '" + name(p)
                        + "' must be " + expected(mismatch.getRequiredType()) + ", not '" + abbreviate(mismatch.getValue()) + "'";
            }
            if (t instanceof JacksonException json) {
                return json.getPath().isEmpty()
                        ? "the body is not valid JSON" + at(json.getLocation())
                        : "in the body, " + path(json) + " is not of the kind expected (a number, a text, a list...)"
                                + at(json.getLocation());
            }
        }
        return "the request could not be read: check its parameters and body against the API documentation";
    }

    private static String name(MethodParameter p) {
        RequestParam param = p.getParameterAnnotation(RequestParam.class);
        if (param != null && !param.name().isEmpty()) {
            return param.name();
        }
        PathVariable path = p.getParameterAnnotation(PathVariable.class);
        if (path != null && !path.name().isEmpty()) {
            return path.name();
        }
        return p.getParameterName();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another kind";
        }
        if (type == long.class || type == Long.class || type == int.class || type == Integer.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class || type == BigDecimal.class) {
            return "a number";
        }
        if (type == LocalDate.class) {
            return "a date as YYYY-MM-DD";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        return "a " + type.getSimpleName();
    }

    private static String path(JacksonException json) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference r : json.getPath()) {
            if (r.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        return "'" + path + "'";
    }

    private static String at(TokenStreamLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String abbreviate(Object value) {
        String text = String.valueOf(value);
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }
}
