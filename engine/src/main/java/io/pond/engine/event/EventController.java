package io.pond.engine.event;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/events}: one event (object) or up to 1,000 (array). 200 when every item was taken
 * (new or a replay); 400 when some were refused, naming each by index and field; the others are kept.
 */
@RestController
public class EventController {

    private final EventIngestion ingestion;

    public EventController(EventIngestion ingestion) {
        this.ingestion = ingestion;
    }

    @PostMapping(path = "/api/v1/events", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<EventIngestion.Result> post(@RequestBody JsonNode body) {
        EventIngestion.Result result = ingestion.ingest(body);
        return result.rejected().isEmpty() ? ResponseEntity.ok(result) : ResponseEntity.badRequest().body(result);
    }
}
