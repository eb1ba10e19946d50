package io.pond.engine.journey;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import io.pond.engine.apikey.ApiKeys;
import io.pond.engine.customer.CustomerTags;
import io.pond.engine.customer.TagSource;
import io.pond.engine.segment.SegmentCondition;
import io.pond.engine.segment.Segments;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;

/** Entering journeys by the API (one customer or a list) and from a segment, as a background job that resumes. */
class EnrollmentEntryIT extends JourneyTestSupport {

    private static final String WAITING = "<bpmn:startEvent id=\"start\"/><bpmn:sequenceFlow id=\"f1\" sourceRef=\"start\""
            + " targetRef=\"wait\"/><bpmn:userTask id=\"wait\"/>";

    @Autowired TestRestTemplate rest;
    @Autowired ApiKeys apiKeys;
    @Autowired CustomerTags tags;
    @Autowired Segments segments;
    @Autowired TransactionTemplate transaction;

    private ResponseEntity<JsonNode> post(String path, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpHeaders headers = signed(bytes);
        headers.setContentType(MediaType.APPLICATION_JSON);
        return rest.postForEntity(path, new HttpEntity<>(bytes, headers), JsonNode.class);
    }

    private ResponseEntity<JsonNode> get(String path) {
        return rest.exchange(path, HttpMethod.GET, new HttpEntity<>(signed(new byte[0])), JsonNode.class);
    }

    private HttpHeaders signed(byte[] body) {
        ApiKeys.NewKey key = apiKeys.create("journey caller " + System.nanoTime(), "test");
        HttpHeaders headers = new HttpHeaders();
        ApiKeys.signedHeaders(key.keyId(), key.secret(), org.camunda.bpm.engine.impl.util.ClockUtil.getCurrentTime().toInstant(), body)
                .forEach(headers::set);
        return headers;
    }

    @Test
    void theApiEnrolsByIdOrIdentityAndSaysWhatHappenedToEach() {
        String key = key("api");
        publish(key, WAITING, JourneySettings.defaults());
        long byId = customer("id-" + key);
        long byIdentity = customer("ident-" + key);
        String body = """
                {"customers": [{"id": %d}, {"wecom_external_userid": "%s"}, {"phone": "13912345678"}, {"id": %d}],
                 "variables": {"campaign": "double-11", "budget": 3}}""".formatted(byId, externalUserid(byIdentity), byId);

        ResponseEntity<JsonNode> response = post("/api/v1/journeys/" + key + "/enrollments", body);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getBody().get("enrolled").asInt()).isEqualTo(2);
        List<String> outcomes = new ArrayList<>();
        response.getBody().get("results").forEach(r -> outcomes.add(r.get("outcome").asText()));
        assertThat(outcomes).containsExactly("ENROLLED", "ENROLLED", "UNKNOWN_CUSTOMER", "ENROLLED");
        assertThat(enrollments.active(byId)).hasSize(1);
        assertThat(runtimeService.getVariable(enrollment(key, byIdentity).processInstanceId(), "campaign")).isEqualTo("double-11");
        assertThat(enrollment(key, byId).source()).isEqualTo(Enrollments.Source.API);

        ResponseEntity<JsonNode> again = post("/api/v1/journeys/" + key + "/enrollments",
                "{\"customers\": [{\"id\": " + byId + "}]}");
        assertThat(again.getBody().get("results").get(0).get("outcome").asText()).isEqualTo("ALREADY_IN");

        assertThat(post("/api/v1/journeys/" + key + "/enrollments", "{\"customers\": [{\"shoe_size\": \"42\"}]}").getBody()
                .toString()).contains("customers[0].shoe_size is neither id nor an identity type");
        ResponseEntity<JsonNode> noSuchJourney = post("/api/v1/journeys/no-such-journey/enrollments", "{\"customers\": [{\"id\": 1}]}");
        assertThat(noSuchJourney.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(noSuchJourney.getBody().get("error").asText()).isEqualTo("There is no journey no-such-journey");

        // the figures of the version they entered: both wait at the task
        ResponseEntity<JsonNode> stats = get("/api/v1/journeys/" + key + "/stats");
        assertThat(stats.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(stats.getBody().get("version").asInt()).isEqualTo(1);
        assertThat(stats.getBody().get("totals").get("entered").asLong()).isEqualTo(2);
        assertThat(stats.getBody().get("nodes").get("wait").get("waiting").asLong()).isEqualTo(2);
        assertThat(get("/api/v1/journeys/" + key + "/stats?version=7").getBody().get("error").asText())
                .isEqualTo("The journey " + key + " has no version 7");
        assertThat(get("/api/v1/journeys/" + key + "/stats?version=7").getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(get("/api/v1/journeys/no-such-journey/stats").getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(get("/api/v1/journeys/" + key + "/stats?version=latest").getBody().get("error").asText())
                .isEqualTo("version must be a whole number, not 'latest'");
        journeys.pause(key, "marketer");
        ResponseEntity<JsonNode> paused = post("/api/v1/journeys/" + key + "/enrollments", "{\"customers\": [{\"id\": 1}]}");
        assertThat(paused.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(paused.getBody().get("error").asText()).contains("paused");

        HttpHeaders unsigned = new HttpHeaders();
        unsigned.setContentType(MediaType.APPLICATION_JSON);
        assertThat(rest.postForEntity("/api/v1/journeys/" + key + "/enrollments", new HttpEntity<>("{}", unsigned), String.class)
                .getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void aSegmentIsEnrolledPageByPageResumesAfterACrashAndCanBeCancelled() {
        String key = key("segment");
        publish(key, WAITING, JourneySettings.defaults());
        long tagId = tags.ensureTag("Journey test", "segment-" + key, null).id();
        List<Long> members = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            members.add(customer("seg" + i + "-" + key));
        }
        tags.tag(members, tagId, TagSource.MANUAL);
        customer("outsider-" + key);
        long segmentId = segments.save(null, "Segment " + key, new SegmentCondition.HasTag(tagId), "test");
        List<Runnable> submitted = new CopyOnWriteArrayList<>();
        SegmentEnrollments jobs = new SegmentEnrollments(jdbc, segments, journeys, enrollments, transaction,
                queueOnly(submitted), java.time.Clock.systemUTC(), 10);
        SegmentEnrollments.Job job = jobs.start(key, segmentId, "marketer");
        assertThat(job.total()).isEqualTo(25);
        assertThat(submitted).hasSize(1);

        assertThat(jobs.runPages(job.id(), 1)).isTrue();
        SegmentEnrollments.Job afterOnePage = jobs.job(job.id()).orElseThrow();
        assertThat(afterOnePage.processed()).isEqualTo(10);
        assertThat(afterOnePage.enrolled()).isEqualTo(10);
        assertThat(afterOnePage.percent()).isEqualTo(40);

        // the node dies here; another one sees the heartbeat go stale and takes over
        jdbc.update("update pond_enrollment_job set heartbeat_at = heartbeat_at - interval '2 minutes' where id = ?", job.id());
        submitted.clear();
        assertThat(jobs.resumeOrphaned()).isEqualTo(1);
        submitted.forEach(Runnable::run);
        SegmentEnrollments.Job done = jobs.job(job.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(SegmentEnrollments.Status.DONE);
        assertThat(done.processed()).isEqualTo(25);
        assertThat(done.enrolled()).isEqualTo(25);
        assertThat(jdbc.queryForObject("select count(*) from pond_enrollment where journey_key = ?", Integer.class, key))
                .as("each member once, the outsider not").isEqualTo(25);

        String second = key("cancel");
        publish(second, WAITING, JourneySettings.defaults());
        SegmentEnrollments.Job cancelled = jobs.start(second, segmentId, "marketer");
        jobs.runPages(cancelled.id(), 1);
        jobs.cancel(cancelled.id());
        jobs.run(cancelled.id());
        SegmentEnrollments.Job stopped = jobs.job(cancelled.id()).orElseThrow();
        assertThat(stopped.status()).isEqualTo(SegmentEnrollments.Status.CANCELLED);
        assertThat(stopped.processed()).isEqualTo(10);
        assertThat(jdbc.queryForObject("select count(*) from pond_enrollment where journey_key = ?", Integer.class, second))
                .as("those enrolled before the cancel stay").isEqualTo(10);
    }

    /** An executor that only collects what it is given: the test decides when (and whether) it runs. */
    private static java.util.concurrent.ExecutorService queueOnly(List<Runnable> submitted) {
        return new java.util.concurrent.AbstractExecutorService() {
            @Override
            public void execute(Runnable command) {
                submitted.add(command);
            }

            @Override
            public void shutdown() {
            }

            @Override
            public List<Runnable> shutdownNow() {
                return List.of();
            }

            @Override
            public boolean isShutdown() {
                return false;
            }

            @Override
            public boolean isTerminated() {
                return false;
            }

            @Override
            public boolean awaitTermination(long timeout, java.util.concurrent.TimeUnit unit) {
                return true;
            }
        };
    }

}
