package io.pond.engine.customer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.pond.engine.EngineTestApplication;
import io.pond.engine.apikey.ApiKeys;
import io.pond.engine.event.AutoTagRules;
import io.pond.engine.event.CustomerEvent;
import io.pond.engine.event.CustomerEventListener;
import io.pond.engine.event.OutboxRelay;
import io.pond.engine.event.PropertyCondition;
import io.pond.engine.test.PostgresTestDatabase;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Customer data through the API, on PostgreSQL: events, identities and merges, tags, rules, consent, outbox. */
@SpringBootTest(classes = {EngineTestApplication.class, CustomerDataIT.Listener.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"pond.admin.password=Pond-Pass-2026", "camunda.bpm.job-execution.enabled=false",
                "pond.outbox.poll-interval=3600000"})
class CustomerDataIT {

    private static final PostgresTestDatabase DATABASE = PostgresTestDatabase.create();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        DATABASE.register(registry);
    }

    @TestConfiguration
    static class Listener {
        static final List<CustomerEvent> RECEIVED = Collections.synchronizedList(new ArrayList<>());
        static final Set<String> THREADS = Collections.synchronizedSet(new HashSet<>());

        @Bean
        CustomerEventListener recordingListener() {
            return event -> {
                RECEIVED.add(event);
                THREADS.add(Thread.currentThread().getName());
            };
        }
    }

    @Autowired TestRestTemplate rest;
    @Autowired ApiKeys apiKeys;
    @Autowired java.time.Clock clock;
    @Autowired JdbcTemplate jdbc;
    @Autowired ObjectMapper json;
    @Autowired CustomerDirectory directory;
    @Autowired CustomerTags tags;
    @Autowired Consents consents;
    @Autowired CustomerAttributes attributes;
    @Autowired AutoTagRules rules;
    @Autowired OutboxRelay outbox;
    @Autowired RepositoryService repositoryService;
    @Autowired RuntimeService runtimeService;

    private ApiKeys.NewKey key;

    @BeforeEach
    void key() {
        key = apiKeys.create("test caller", "test");
    }

    @Test
    void anEventOfAnUnknownCustomerCreatesTheCustomerAndStoresTheEvent() throws Exception {
        ResponseEntity<JsonNode> response = post("""
                {"eventId": "new-1", "type": "item_added_to_cart", "occurredAt": "2026-11-24T10:00:00+08:00",
                 "customer": {"phone": "138 0000 0001"}, "properties": {"sku": "milk-900g"}}""");
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getBody().get("accepted").asInt()).isOne();

        long customer = directory.findByIdentity(new Identity(IdentityType.PHONE, "+8613800000001")).orElseThrow();
        assertThat(jdbc.queryForObject("select event_type from pond_event where event_id = 'new-1' and customer_id = ?",
                String.class, customer)).isEqualTo("item_added_to_cart");
        assertThat(directory.find(customer)).get().extracting(Customer::lifecycleStage).isEqualTo(LifecycleStage.PROSPECT);
    }

    @Test
    void aReplayedEventChangesNothing() throws Exception {
        String batch = """
                [{"eventId": "replay-1", "type": "order_paid", "occurredAt": "2026-11-24T10:00:00+08:00",
                  "customer": {"member_id": "M-replay"}, "properties": {"amount": 99}},
                 {"eventId": "replay-2", "type": "order_paid", "occurredAt": "2026-11-24T11:00:00+08:00",
                  "customer": {"member_id": "M-replay"}}]""";
        assertThat(post(batch).getBody().get("accepted").asInt()).isEqualTo(2);
        Map<String, Object> before = snapshot();

        ResponseEntity<JsonNode> again = post(batch);
        assertThat(again.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(again.getBody().get("accepted").asInt()).isZero();
        assertThat(again.getBody().get("duplicates").asInt()).isEqualTo(2);
        assertThat(snapshot()).isEqualTo(before);

        ResponseEntity<JsonNode> sameIdTwiceInOneBatch = post("""
                [{"eventId": "replay-3", "type": "a", "occurredAt": "2026-11-24T10:00:00Z", "customer": {"member_id": "M-replay"}},
                 {"eventId": "replay-3", "type": "a", "occurredAt": "2026-11-24T10:00:00Z", "customer": {"member_id": "M-replay"}}]""");
        assertThat(sameIdTwiceInOneBatch.getBody().get("accepted").asInt()).isOne();
        assertThat(sameIdTwiceInOneBatch.getBody().get("duplicates").asInt()).isOne();
    }

    @Test
    void anApiKeysSecretIsStoredEncrypted() {
        String stored = jdbc.queryForObject("select secret from pond_api_key where key_id = ?", String.class, key.keyId());
        assertThat(stored).doesNotContain(key.secret()).startsWith("v1:");
    }

    @Test
    void aBadMissingStaleOrReplayedSignatureIsRefusedAndNothingIsStored() {
        String body = """
                {"eventId": "hmac-1", "type": "a", "occurredAt": "2026-11-24T10:00:00Z", "customer": {"member_id": "M-hmac"}}""";
        String now = Long.toString(clock.instant().getEpochSecond());
        assertThat(send(body, key.keyId(), now, "n-1", "sha256=" + "00".repeat(32)).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(send(body, key.keyId(), now, "n-1", null).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(send(body, "pk_unknown", now, "n-1", ApiKeys.signatureHeader(key.secret(), now, "n-1", bytes(body)))
                .getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        String tampered = body.replace("M-hmac", "M-other");
        assertThat(send(tampered, key.keyId(), now, "n-1", ApiKeys.signatureHeader(key.secret(), now, "n-1", bytes(body)))
                .getStatusCode()).as("signed one body, sent another").isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(send(body, key.keyId(), now, "n-2", ApiKeys.signatureHeader(key.secret(), now, "n-1", bytes(body)))
                .getStatusCode()).as("signed one nonce, sent another").isEqualTo(HttpStatus.UNAUTHORIZED);
        ApiKeys.NewKey revoked = apiKeys.create("old caller", "test");
        apiKeys.revoke(revoked.keyId(), "test");
        assertThat(send(body, revoked.keyId(), now, "n-1", ApiKeys.signatureHeader(revoked.secret(), now, "n-1", bytes(body)))
                .getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        String sixMinutesAgo = Long.toString(clock.instant().minusSeconds(360).getEpochSecond());
        ResponseEntity<String> stale = send(body, key.keyId(), sixMinutesAgo, "n-3",
                ApiKeys.signatureHeader(key.secret(), sixMinutesAgo, "n-3", bytes(body)));
        assertThat(stale.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(stale.getBody()).contains("more than 5 minutes");
        assertThat(jdbc.queryForObject("select count(*) from pond_event where event_id = 'hmac-1'", Integer.class)).isZero();

        String signature = ApiKeys.signatureHeader(key.secret(), now, "n-4", bytes(body));
        assertThat(send(body, key.keyId(), now, "n-4", signature).getStatusCode()).as("the right signature").isEqualTo(HttpStatus.OK);
        ResponseEntity<String> replayed = send(body, key.keyId(), now, "n-4", signature);
        assertThat(replayed.getStatusCode()).as("the same call recorded and sent again").isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(replayed.getBody()).contains("was used before");
    }

    @Test
    void invalidItemsAreNamedWithTheirFieldsAndTheValidOnesOfTheBatchAreKept() throws Exception {
        ResponseEntity<JsonNode> response = post("""
                [{"eventId": "v-ok-1", "type": "page_viewed", "occurredAt": "2026-11-24T10:00:00+08:00", "customer": {"email": "A@Example.com"}},
                 {"eventId": "v-bad-1", "occurredAt": "2026-11-24T10:00:00+08:00", "customer": {"email": "a@example.com"}},
                 {"eventId": "v-bad-2", "type": "page_viewed", "occurredAt": "yesterday", "customer": {"phone": "12"}},
                 {"eventId": "v-bad-3", "type": "Page Viewed", "occurredAt": "2026-11-24T10:00:00Z", "customer": {"fax": "1"},
                  "properties": [1]},
                 {"eventId": "v-ok-2", "type": "page_viewed", "occurredAt": "2026-11-24T10:05:00+08:00", "customer": {"email": "a@example.com"}}]""");
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        JsonNode result = response.getBody();
        assertThat(result.get("accepted").asInt()).isEqualTo(2);
        assertThat(result.get("rejected")).hasSize(3);
        assertThat(fields(result.get("rejected").get(0))).containsExactly("type");
        assertThat(result.get("rejected").get(0).get("index").asInt()).isEqualTo(1);
        assertThat(fields(result.get("rejected").get(1))).containsExactlyInAnyOrder("occurredAt", "customer.phone");
        assertThat(fields(result.get("rejected").get(2))).containsExactlyInAnyOrder("type", "customer.fax", "properties");
        assertThat(result.get("rejected").get(2).get("eventId").asText()).isEqualTo("v-bad-3");

        long customer = directory.findByIdentity(new Identity(IdentityType.EMAIL, "a@example.com")).orElseThrow();
        assertThat(jdbc.queryForList("select event_id from pond_event where customer_id = ? order by event_id", String.class,
                customer)).containsExactly("v-ok-1", "v-ok-2");
    }

    @Test
    void aBodyThatIsNotABatchOfEventsGetsOneClearError() throws Exception {
        ResponseEntity<JsonNode> notJson = post("{\"eventId\": ");
        assertThat(notJson.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(notJson.getBody().get("error").asText()).startsWith("The body is not valid JSON");

        StringBuilder tooMany = new StringBuilder("[");
        for (int i = 0; i <= 1000; i++) {
            tooMany.append(i == 0 ? "" : ",").append("{\"eventId\":\"many-").append(i)
                    .append("\",\"type\":\"a\",\"occurredAt\":\"2026-11-24T10:00:00Z\",\"customer\":{\"member_id\":\"M\"}}");
        }
        ResponseEntity<JsonNode> large = post(tooMany.append("]").toString());
        assertThat(large.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(large.getBody().get("error").asText()).contains("at most 1000 events").contains("1001");
        assertThat(jdbc.queryForObject("select count(*) from pond_event where event_id like 'many-%'", Integer.class)).isZero();
    }

    @Test
    void anIdentityThatProvesTwoCustomersAreOnePersonMergesThemAndNothingIsLost() throws Exception {
        post("""
                [{"eventId": "m-a1", "type": "contact_added", "occurredAt": "2026-11-20T10:00:00+08:00", "customer": {"phone": "13800000111"}},
                 {"eventId": "m-b1", "type": "order_paid", "occurredAt": "2026-11-21T10:00:00+08:00", "customer": {"wechat_unionid": "u-merge"}},
                 {"eventId": "m-b2", "type": "order_paid", "occurredAt": "2026-11-22T10:00:00+08:00", "customer": {"wechat_unionid": "u-merge"}}]""");
        long a = directory.findByIdentity(new Identity(IdentityType.PHONE, "+8613800000111")).orElseThrow();
        long b = directory.findByIdentity(new Identity(IdentityType.WECHAT_UNIONID, "u-merge")).orElseThrow();
        assertThat(a).isNotEqualTo(b);
        CustomerTags.Tag vip = tags.ensureTag("Value", "VIP", null);
        CustomerTags.Tag store = tags.ensureTag("Source", "Store 12", "et-store-12");
        tags.tag(List.of(a), store.id(), TagSource.CHANNEL_QR);
        tags.tag(List.of(b), vip.id(), TagSource.MANUAL);
        tags.tag(List.of(b), store.id(), TagSource.IMPORT);
        attributes.define(new AttributeDefinition("city", "City", "城市", AttributeType.STRING, null));
        attributes.define(new AttributeDefinition("vip_since", "VIP since", "VIP 起始", AttributeType.DATE, null));
        attributes.set(List.of(new CustomerAttributes.Value(a, "city", "Shanghai"),
                new CustomerAttributes.Value(b, "city", "Hangzhou"),
                new CustomerAttributes.Value(b, "vip_since", java.time.LocalDate.of(2025, 1, 1))));
        consents.grant(a, ConsentChannel.WECOM, "QR welcome", "test");
        consents.revoke(b, ConsentChannel.SMS, "unsubscribe link", "test");
        jdbc.update("update pond_customer set points = 100, member_tier = null where id = ?", a);
        jdbc.update("update pond_customer set points = 250, member_tier = 'GOLD', lifecycle_stage = 'REPEAT' where id = ?", b);
        repositoryService.createDeployment().addModelInstance("wait.bpmn", Bpmn.createExecutableProcess("mergeWait")
                .camundaHistoryTimeToLive(1).startEvent().userTask("wait").endEvent().done()).deploy();
        String journey = runtimeService.startProcessInstanceByKey("mergeWait", Long.toString(b)).getId();

        ResponseEntity<JsonNode> proof = post("""
                {"eventId": "m-proof", "type": "member_bound", "occurredAt": "2026-11-23T10:00:00+08:00",
                 "customer": {"phone": "+86 138 0000 0111", "wechat_unionid": "u-merge"}}""");
        assertThat(proof.getStatusCode()).isEqualTo(HttpStatus.OK);

        long survivor = Math.min(a, b);
        long merged = Math.max(a, b);
        assertThat(directory.identities(survivor)).extracting(Identity::type)
                .containsExactlyInAnyOrder(IdentityType.PHONE, IdentityType.WECHAT_UNIONID);
        assertThat(jdbc.queryForList("select event_id from pond_event where customer_id = ? order by event_id", String.class,
                survivor)).containsExactly("m-a1", "m-b1", "m-b2", "m-proof");
        assertThat(tags.tagsOf(survivor)).extracting(t -> t.tag().name()).containsExactlyInAnyOrder("VIP", "Store 12");
        assertThat(attributes.of(survivor)).containsEntry("city", "Shanghai")
                .containsEntry("vip_since", java.time.LocalDate.of(2025, 1, 1));
        assertThat(consents.allows(survivor, ConsentChannel.WECOM)).isTrue();
        assertThat(consents.current(survivor, ConsentChannel.SMS)).get().extracting(Consents.Consent::granted).isEqualTo(false);
        Customer profile = directory.find(survivor).orElseThrow();
        assertThat(profile.points()).isEqualTo(350);
        assertThat(profile.memberTier()).isEqualTo("GOLD");
        assertThat(profile.lifecycleStage()).isEqualTo(LifecycleStage.REPEAT);
        assertThat(directory.find(merged)).get().extracting(Customer::id).as("the old id leads to the survivor")
                .isEqualTo(survivor);
        assertThat(runtimeService.createProcessInstanceQuery().processInstanceId(journey).singleResult().getBusinessKey())
                .isEqualTo(Long.toString(survivor));
        assertThat(directory.merges(survivor)).singleElement().satisfies(m -> {
            assertThat(m.mergedId()).isEqualTo(merged);
            assertThat(m.reason()).contains("m-proof");
            assertThat(m.moved()).contains("journeys=1");
        });
        assertThat(jdbc.queryForObject("select count(*) from pond_audit_event where action = 'CUSTOMER_MERGED'"
                + " and detail like ?", Integer.class, "customer " + merged + " into " + survivor + "%")).isOne();
    }

    @Test
    void autoTagRulesTagCustomersAsTheirEventsArrive() throws Exception {
        CustomerTags.Tag store12 = tags.ensureTag("Source", "Store 12 QR", null);
        CustomerTags.Tag subscriber = tags.ensureTag("Newsletter", "Subscriber", null);
        rules.save(new AutoTagRules.Rule(null, "QR of store 12", "contact_added",
                List.of(new PropertyCondition("state", PropertyCondition.Operator.EQUALS, "store-12")),
                AutoTagRules.Action.ADD, store12.id(), true));
        rules.save(new AutoTagRules.Rule(null, "subscribed", "newsletter_subscribed", List.of(), AutoTagRules.Action.ADD,
                subscriber.id(), true));
        rules.save(new AutoTagRules.Rule(null, "unsubscribed", "newsletter_unsubscribed", List.of(),
                AutoTagRules.Action.REMOVE, subscriber.id(), true));

        post("""
                [{"eventId": "r-1", "type": "contact_added", "occurredAt": "2026-11-24T10:00:00+08:00",
                  "customer": {"wecom_external_userid": "wm-store12"}, "properties": {"state": "store-12"}},
                 {"eventId": "r-2", "type": "contact_added", "occurredAt": "2026-11-24T10:00:00+08:00",
                  "customer": {"wecom_external_userid": "wm-online"}, "properties": {"state": "online-ad"}},
                 {"eventId": "r-3", "type": "newsletter_subscribed", "occurredAt": "2026-11-24T10:00:00+08:00",
                  "customer": {"wecom_external_userid": "wm-online"}},
                 {"eventId": "r-4", "type": "newsletter_subscribed", "occurredAt": "2026-11-24T10:00:00+08:00",
                  "customer": {"wecom_external_userid": "wm-store12"}},
                 {"eventId": "r-5", "type": "newsletter_unsubscribed", "occurredAt": "2026-11-24T11:00:00+08:00",
                  "customer": {"wecom_external_userid": "wm-store12"}}]""");
        long fromStore = directory.findByIdentity(new Identity(IdentityType.WECOM_EXTERNAL_USERID, "wm-store12")).orElseThrow();
        long online = directory.findByIdentity(new Identity(IdentityType.WECOM_EXTERNAL_USERID, "wm-online")).orElseThrow();
        assertThat(tags.tagsOf(fromStore)).extracting(t -> t.tag().name() + "/" + t.source())
                .containsExactly("Store 12 QR/RULE");
        assertThat(tags.tagsOf(online)).extracting(t -> t.tag().name() + "/" + t.source())
                .containsExactly("Subscriber/RULE");
    }

    @Test
    void anOptOutThroughTheApiStopsTheChannelEvenForSomeoneNotSeenBefore() throws Exception {
        post("""
                {"eventId": "c-1", "type": "contact_added", "occurredAt": "2026-11-24T10:00:00+08:00", "customer": {"phone": "13800000222"}}""");
        long known = directory.findByIdentity(new Identity(IdentityType.PHONE, "+8613800000222")).orElseThrow();
        consents.grant(known, ConsentChannel.SMS, "sign-up form", "test");
        assertThat(consents.allows(known, ConsentChannel.SMS)).isTrue();

        ResponseEntity<JsonNode> optOut = send("/api/v1/consents", """
                {"customer": {"phone": "13800000222"}, "channel": "sms", "granted": false, "source": "reply TD"}""");
        assertThat(optOut.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(consents.allows(known, ConsentChannel.SMS)).isFalse();
        assertThat(consents.current(known, ConsentChannel.SMS)).get().extracting(Consents.Consent::source).isEqualTo("reply TD");

        send("/api/v1/consents", """
                {"customer": {"email": "stranger@example.com"}, "channel": "EMAIL", "granted": false, "source": "footer link"}""");
        long stranger = directory.findByIdentity(new Identity(IdentityType.EMAIL, "stranger@example.com")).orElseThrow();
        assertThat(consents.current(stranger, ConsentChannel.EMAIL)).get().extracting(Consents.Consent::granted).isEqualTo(false);

        ResponseEntity<JsonNode> badChannel = send("/api/v1/consents", """
                {"customer": {"phone": "13800000222"}, "channel": "pigeon", "granted": false, "source": "x"}""");
        assertThat(badChannel.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(badChannel.getBody().get("error").asText()).contains("channel must be one of");
    }

    @Test
    void twoOutboxWorkersDeliverEveryEventOnceAndEachCustomersEventsInTheirOrder() throws Exception {
        outbox.poll();
        Listener.RECEIVED.clear();
        Listener.THREADS.clear();
        ArrayNode events = json.createArrayNode();
        for (int minute = 0; minute < 20; minute++) {
            for (int member = 0; member < 10; member++) {
                events.addObject().put("eventId", "w-" + member + "-" + minute).put("type", "page_viewed")
                        .put("occurredAt", "2026-11-24T10:%02d:00+08:00".formatted(minute))
                        .putObject("customer").put("member_id", "W-" + member);
            }
        }
        post(json.writeValueAsString(events));

        outbox.poll();

        assertThat(outbox.pending()).isZero();
        assertThat(Listener.RECEIVED).extracting(CustomerEvent::eventId).doesNotHaveDuplicates().hasSize(200);
        Map<Long, List<String>> byCustomer = new java.util.LinkedHashMap<>();
        Listener.RECEIVED.forEach(event -> byCustomer.computeIfAbsent(event.customerId(), id -> new ArrayList<>()).add(event.eventId()));
        assertThat(byCustomer).hasSize(10).allSatisfy((customer, received) -> {
            String member = received.get(0).substring(0, "w-0".length());
            assertThat(received).as("customer %s", customer)
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20).mapToObj(m -> member + "-" + m).toList());
        });
        assertThat(Listener.THREADS).as("the customers were shared between two workers").hasSize(2);
    }

    @Test
    void theOutboxDeliversEachAcceptedEventOnceAndNeverAReplay() throws Exception {
        outbox.poll();
        Listener.RECEIVED.clear();
        String body = """
                [{"eventId": "o-1", "type": "order_paid", "occurredAt": "2026-11-24T10:00:00+08:00", "customer": {"member_id": "M-outbox"}},
                 {"eventId": "o-2", "type": "order_paid", "occurredAt": "2026-11-24T10:01:00+08:00", "customer": {"member_id": "M-outbox"}}]""";
        post(body);
        post(body);
        assertThat(outbox.pending()).isEqualTo(2);
        outbox.poll();
        outbox.poll();
        assertThat(outbox.pending()).isZero();
        assertThat(Listener.RECEIVED).extracting(CustomerEvent::eventId).containsExactly("o-1", "o-2");
        long customer = directory.findByIdentity(new Identity(IdentityType.MEMBER_ID, "M-outbox")).orElseThrow();
        assertThat(Listener.RECEIVED).allSatisfy(event -> assertThat(event.customerId()).isEqualTo(customer));
    }

    @Test
    void aCsvSentToTheApiIsImportedInTheBackgroundEvenWhenItIsLarge() throws Exception {
        StringBuilder csv = new StringBuilder("member_id,display_name\n");
        for (int i = 0; i < 40_000; i++) {
            csv.append("API-").append(i).append(",Imported through the API number ").append(i).append('\n');
        }
        csv.append(",no identity\n");
        assertThat(csv.length()).as("more than the 1 MB kept in memory").isGreaterThan(1024 * 1024);
        byte[] body = bytes(csv.toString());
        ResponseEntity<JsonNode> started = rest.postForEntity("/api/v1/customers/import?mode=KEEP_VALID&fileName=api.csv",
                new HttpEntity<>(body, signedCsv(body)), JsonNode.class);
        assertThat(started.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        long job = started.getBody().get("id").asLong();

        JsonNode status = null;
        for (int attempt = 0; attempt < 600; attempt++) {
            status = get("/api/v1/customers/import/" + job);
            if (List.of("DONE", "FAILED", "STOPPED", "CANCELLED").contains(status.get("status").asText())) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(status.get("status").asText()).isEqualTo("DONE");
        assertThat(status.get("rowsImported").asLong()).isEqualTo(40_000);
        assertThat(status.get("rowsFailed").asLong()).isEqualTo(1);
        assertThat(directory.findByIdentity(new Identity(IdentityType.MEMBER_ID, "API-39999"))).isPresent();

        HttpHeaders signedGet = new HttpHeaders();
        ApiKeys.signedHeaders(key.keyId(), key.secret(), clock.instant(), new byte[0]).forEach(signedGet::set);
        String errors = rest.exchange("/api/v1/customers/import/" + job + "/errors", org.springframework.http.HttpMethod.GET,
                new HttpEntity<>(signedGet), String.class).getBody();
        assertThat(errors).startsWith("row,column,problem").contains("40001,,");

        // a mistyped id, polled by a script: a 404 that says so, not a server error or an empty list of errors
        for (String path : List.of("/api/v1/customers/import/" + (job + 1000), "/api/v1/customers/import/" + (job + 1000) + "/errors")) {
            ResponseEntity<JsonNode> unknown = fetch(path);
            assertThat(unknown.getStatusCode()).as(path).isEqualTo(HttpStatus.NOT_FOUND);
            assertThat(unknown.getBody().get("error").asText()).isEqualTo("There is no import " + (job + 1000));
        }
        ResponseEntity<JsonNode> notAnId = fetch("/api/v1/customers/import/latest");
        assertThat(notAnId.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(notAnId.getBody().get("error").asText()).isEqualTo("id must be a whole number, not 'latest'");
        ResponseEntity<JsonNode> unknownMode = rest.postForEntity("/api/v1/customers/import?mode=FAST",
                new HttpEntity<>(body, signedCsv(body)), JsonNode.class);
        assertThat(unknownMode.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(unknownMode.getBody().get("error").asText())
                .isEqualTo("mode must be one of KEEP_VALID, STOP_AT_FIRST_ERROR, not 'FAST'");
    }

    private HttpHeaders signedCsv(byte[] body) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.parseMediaType("text/csv"));
        ApiKeys.signedHeaders(key.keyId(), key.secret(), clock.instant(), body).forEach(headers::set);
        return headers;
    }

    private JsonNode get(String path) {
        return fetch(path).getBody();
    }

    private ResponseEntity<JsonNode> fetch(String path) {
        HttpHeaders headers = new HttpHeaders();
        ApiKeys.signedHeaders(key.keyId(), key.secret(), clock.instant(), new byte[0]).forEach(headers::set);
        return rest.exchange(path, org.springframework.http.HttpMethod.GET, new HttpEntity<>(headers), JsonNode.class);
    }

    private Map<String, Object> snapshot() {
        return Map.of(
                "events", jdbc.queryForObject("select count(*) from pond_event", Long.class),
                "outbox", jdbc.queryForObject("select count(*) from pond_outbox", Long.class),
                "customers", jdbc.queryForObject("select count(*) from pond_customer", Long.class),
                "identities", jdbc.queryForObject("select count(*) from pond_customer_identity", Long.class),
                "tags", jdbc.queryForObject("select count(*) from pond_customer_tag", Long.class));
    }

    private ResponseEntity<JsonNode> post(String body) {
        return send("/api/v1/events", body);
    }

    private ResponseEntity<JsonNode> send(String path, String body) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        ApiKeys.signedHeaders(key.keyId(), key.secret(), clock.instant(), bytes(body)).forEach(headers::set);
        return rest.postForEntity(path, new HttpEntity<>(bytes(body), headers), JsonNode.class);
    }

    private ResponseEntity<String> send(String body, String keyId, String timestamp, String nonce, String signature) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.set("X-Pond-Key", keyId);
        headers.set("X-Pond-Timestamp", timestamp);
        headers.set("X-Pond-Nonce", nonce);
        if (signature != null) {
            headers.set("X-Pond-Signature", signature);
        }
        return rest.postForEntity("/api/v1/events", new HttpEntity<>(bytes(body), headers), String.class);
    }

    private static byte[] bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> fields(JsonNode rejected) {
        List<String> fields = new ArrayList<>();
        rejected.get("errors").forEach(error -> fields.add(error.get("field").asText()));
        return fields;
    }

    @SuppressWarnings("unused")
    private static Instant at(String time) {
        return Instant.parse(time);
    }
}
