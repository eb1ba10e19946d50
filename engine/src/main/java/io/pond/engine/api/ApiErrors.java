package io.pond.engine.api;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** Errors of Pond's API as {@code {"error": "..."}} with a status that says whose fault it is. */
@RestControllerAdvice(basePackages = "io.pond.engine")
public class ApiErrors {

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badInput(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
    }

    /** Chosen over {@link #badInput} for a {@link NotFoundException}: Spring takes the closest exception type. */
    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<Map<String, String>> notFound(NotFoundException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", e.getMessage()));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, String>> unreadable(HttpMessageNotReadableException e) {
        String detail = e.getMostSpecificCause().getMessage();
        int newline = detail == null ? -1 : detail.indexOf('\n');
        return ResponseEntity.badRequest().body(Map.of("error", "The body is not valid JSON: "
                + (newline > 0 ? detail.substring(0, newline) : detail)));
    }

    /** A parameter in the path or the query that does not fit its type: {@code ?version=abc}, {@code ?mode=fast}. */
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Map<String, String>> wrongType(MethodArgumentTypeMismatchException e) {
        Class<?> type = e.getRequiredType();
        String expected;
        if (type != null && type.isEnum()) {
            expected = "one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", "));
        } else if (type != null && (type == int.class || type == long.class || type == Integer.class || type == Long.class)) {
            expected = "a whole number";
        } else {
            expected = "a " + (type == null ? "value of another kind" : type.getSimpleName());
        }
        return ResponseEntity.badRequest().body(Map.of("error", e.getName() + " must be " + expected + ", not '" + e.getValue() + "'"));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Map<String, String>> mediaType(HttpMediaTypeNotSupportedException e) {
        return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .body(Map.of("error", "Send Content-Type: application/json"));
    }
}
