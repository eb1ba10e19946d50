package io.pond.engine.wecom;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pond.connectors.spi.ElementTemplates;
import io.pond.connectors.test.ElementTemplateSchema;
import io.pond.connectors.wecom.WeComCrypto;
import io.pond.engine.connector.Deliveries;
import io.pond.engine.customer.CustomerTags;
import io.pond.engine.customer.ConsentChannel;
import io.pond.engine.customer.Identity;
import io.pond.engine.customer.IdentityType;
import io.pond.engine.customer.TagSource;
import io.pond.engine.sandbox.Sandbox;
import io.pond.engine.test.SandboxedEngineTest;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * WeCom's side of a channel QR code, through the sandbox: the callback's URL check, signature and AES, the
 * customer and source tag it creates, the welcome message within the code's 20 seconds; and the element
 * templates Camunda Modeler loads.
 */
class WeComCallbackIT extends SandboxedEngineTest {

    private static final WeComCrypto CRYPTO = new WeComCrypto(Sandbox.CALLBACK_TOKEN, Sandbox.AES_KEY, Sandbox.CORP_ID);

    @Autowired TestRestTemplate rest;
    @Autowired CustomerTags tags;
    @Autowired ObjectMapper json;

    @Test
    void theUrlCheckEchoesTheDecryptedStringOnlyWithTheRightSignature() {
        String echostr = CRYPTO.encrypt("echo-4815162342");
        String signature = CRYPTO.signature("1732500000", "nonce1", echostr);

        ResponseEntity<String> verified = rest.getForEntity("/callbacks/wecom?msg_signature={s}&timestamp=1732500000&nonce=nonce1"
                + "&echostr={e}", String.class, signature, echostr);
        assertThat(verified.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(verified.getBody()).isEqualTo("echo-4815162342");

        ResponseEntity<String> forged = rest.getForEntity("/callbacks/wecom?msg_signature={s}&timestamp=1732500001&nonce=nonce1"
                + "&echostr={e}", String.class, signature, echostr);
        assertThat(forged.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    }

    @Test
    void aContactAddedThroughAChannelCodeBecomesACustomerWithASourceTagAndAnEvent() {
        String externalUserid = weCom.simulateAdd("zhangsan", "store_0042", "王小明");

        long customer = directory.findByIdentity(new Identity(IdentityType.WECOM_EXTERNAL_USERID, externalUserid)).orElseThrow();
        assertThat(directory.find(customer)).get().satisfies(profile -> {
            assertThat(profile.displayName()).as("WeCom's name of the contact").isEqualTo("王小明");
            assertThat(profile.ownerId()).as("the staff member who was added").isEqualTo("zhangsan");
        });
        assertThat(directory.identities(customer)).as("linked to WeChat by the unionid")
                .anySatisfy(identity -> assertThat(identity.type()).isEqualTo(IdentityType.WECHAT_UNIONID));
        assertThat(consents.current(customer, ConsentChannel.WECOM)).as("adding the staff member is consent to WeCom")
                .get().satisfies(consent -> {
                    assertThat(consent.granted()).isTrue();
                    assertThat(consent.source()).isEqualTo("added zhangsan on WeCom (channel code store_0042)");
                });
        assertThat(tags.tagsOf(customer)).anySatisfy(tag -> {
            assertThat(tag.tag().groupName()).isEqualTo(WeComCallbackController.SOURCE_TAG_GROUP);
            assertThat(tag.tag().name()).isEqualTo("store_0042");
            assertThat(tag.source()).isEqualTo(TagSource.CHANNEL_QR);
        });
        Map<String, Object> event = jdbc.queryForMap("select event_type, properties from pond_event where customer_id = ?", customer);
        assertThat(event.get("event_type")).isEqualTo("contact_added");
        assertThat((String) event.get("properties")).contains("\"state\":\"store_0042\"").contains("\"welcome_code\":\"WELCOME")
                .contains("\"welcome_code_expires_at\"").contains("\"userid\":\"zhangsan\"");
    }

    @Test
    void aForgedOrReplayedCallbackChangesNothing() {
        String event = contactEvent("wmFORGED000000000000000000000001", "forged_state");
        String encrypted = CRYPTO.encrypt(event);
        String envelope = "<xml><ToUserName><![CDATA[" + Sandbox.CORP_ID + "]]></ToUserName><Encrypt><![CDATA[" + encrypted
                + "]]></Encrypt></xml>";
        WeComCrypto otherToken = new WeComCrypto("notTheToken", Sandbox.AES_KEY, Sandbox.CORP_ID);

        String now = Long.toString(NOON.getEpochSecond());
        assertThat(post(envelope, otherToken.signature(now, "n1", encrypted)).getStatusCode())
                .isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(post(envelope.replace(encrypted, CRYPTO.encrypt(event.replace("forged_state", "tampered"))),
                CRYPTO.signature(now, "n1", encrypted)).getStatusCode()).as("signed one message, sent another")
                .isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(customerCount("wmFORGED000000000000000000000001")).isZero();

        String signature = CRYPTO.signature(now, "n1", encrypted);
        assertThat(post(envelope, now, "n1", signature).getStatusCode()).isEqualTo(HttpStatus.OK);
        ResponseEntity<String> replayed = post(envelope, now, "n1", signature);
        assertThat(replayed.getStatusCode()).as("the same signed request again").isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(replayed.getBody()).contains("nonce was used before");
        // WeCom's own retry is signed anew: taken, and the event is still there once
        assertThat(post(envelope, now, "n2", CRYPTO.signature(now, "n2", encrypted)).getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(jdbc.queryForObject("select count(*) from pond_event e join pond_customer_identity i on i.customer_id = e.customer_id"
                + " where i.identity_value = 'wmFORGED000000000000000000000001'", Integer.class)).isOne();
    }

    @Test
    void aCallbackSignedMoreThanFiveMinutesAgoIsRefused() {
        String encrypted = CRYPTO.encrypt(contactEvent("wmSTALE0000000000000000000000001", "late"));
        String envelope = "<xml><ToUserName><![CDATA[" + Sandbox.CORP_ID + "]]></ToUserName><Encrypt><![CDATA[" + encrypted
                + "]]></Encrypt></xml>";
        String sixMinutesAgo = Long.toString(NOON.minusSeconds(6 * 60).getEpochSecond());
        ResponseEntity<String> stale = post(envelope, sixMinutesAgo, "s1", CRYPTO.signature(sixMinutesAgo, "s1", encrypted));
        assertThat(stale.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(stale.getBody()).contains("more than 5 minutes");
        assertThat(customerCount("wmSTALE0000000000000000000000001")).isZero();
        String fourMinutesAgo = Long.toString(NOON.minusSeconds(4 * 60).getEpochSecond());
        assertThat(post(envelope, fourMinutesAgo, "s1", CRYPTO.signature(fourMinutesAgo, "s1", encrypted)).getStatusCode())
                .isEqualTo(HttpStatus.OK);
        assertThat(customerCount("wmSTALE0000000000000000000000001")).isOne();
    }

    @Test
    void anEnvelopeWithADoctypeIsRefusedBeforeAnythingIsResolved() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<xml><Encrypt>&e;</Encrypt></xml>";
        ResponseEntity<String> answer = post(xxe, "0".repeat(40));
        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(answer.getBody()).doesNotContain("root:");
    }

    @Test
    void aScanOfAChannelCodeMadeByAJourneyIsGreetedWithinTheWelcomeCodesTwentySeconds() {
        Map<String, String> qr = new LinkedHashMap<>();
        qr.put(ElementTemplates.CONNECTOR_PROPERTY, "wecom.contact-way.create:1");
        qr.put(ElementTemplates.INPUT_PREFIX + "userid", "zhangsan");
        qr.put(ElementTemplates.INPUT_PREFIX + "state", "poster_1125");
        ProcessInstance making = start(qr, customer("qr-maker"));
        runJob(making);
        assertThat(waitingAt(making)).isEqualTo("after");
        String configId = (String) runtimeService.getVariable(making.getId(), "configId");
        assertThat((String) runtimeService.getVariable(making.getId(), "qrCode")).startsWith("http");

        String externalUserid = weCom.simulateScan(configId, "李雷");
        long customer = directory.findByIdentity(new Identity(IdentityType.WECOM_EXTERNAL_USERID, externalUserid)).orElseThrow();
        consents.grant(customer, io.pond.engine.customer.ConsentChannel.WECOM, "wecom", "test");
        String welcomeCode = welcomeCodeOf(customer);

        ClockUtil.setCurrentTime(Date.from(NOON.plusSeconds(5)));
        ProcessInstance greeting = start(welcome(), customer, Map.of("welcome_code", welcomeCode));
        runJob(greeting);
        assertThat(waitingAt(greeting)).isEqualTo("after");
        assertThat(sandbox.messages("wecom", "send_welcome_msg")).filteredOn(m -> externalUserid.equals(m.recipient()))
                .singleElement().satisfies(m -> assertThat(m.summary()).isEqualTo("欢迎 李雷!"));

        // the code is used up: another journey greeting with it is routed, not sent
        ProcessInstance again = start(welcome(), customer, Map.of("welcome_code", welcomeCode));
        runJob(again);
        assertThat(waitingAt(again)).isEqualTo("handled");
        assertThat(runtimeService.getVariable(again.getId(), "errorCode")).isEqualTo("WECOM_41051");
    }

    @Test
    void aWelcomeCodeOlderThanTwentySecondsIsABusinessError() {
        String externalUserid = weCom.simulateAdd("zhangsan", "late_state", "韩梅梅");
        long customer = directory.findByIdentity(new Identity(IdentityType.WECOM_EXTERNAL_USERID, externalUserid)).orElseThrow();
        consents.grant(customer, io.pond.engine.customer.ConsentChannel.WECOM, "wecom", "test");

        ClockUtil.setCurrentTime(Date.from(NOON.plus(Duration.ofSeconds(21))));
        ProcessInstance late = start(welcome(), customer, Map.of("welcome_code", welcomeCodeOf(customer)));
        runJob(late);

        assertThat(waitingAt(late)).isEqualTo("handled");
        assertThat(runtimeService.getVariable(late.getId(), "errorCode")).isEqualTo("WECOM_41050");
        assertThat(deliveryOf(late).status()).isEqualTo(Deliveries.Status.FAILED);
    }

    @Test
    void everyConnectorsElementTemplateIsValidForCamundaModelerAndNeedsALogin() throws Exception {
        assertThat(rest.getForEntity("/api/v1/connectors/element-templates", String.class).getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);

        ResponseEntity<String> answer = rest.withBasicAuth("admin", ADMIN_PASSWORD)
                .getForEntity("/api/v1/connectors/element-templates", String.class);
        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.OK);
        JsonNode templates = json.readTree(answer.getBody());
        Set<String> ids = new TreeSet<>();
        for (JsonNode template : templates) {
            assertThat(ElementTemplateSchema.problems(template)).as(template.path("id").asText()).isEmpty();
            ids.add(template.path("id").asText());
        }
        assertThat(ids).contains("pond.wecom.welcome-message.send", "pond.wecom.mass-message.send",
                "pond.wecom.tag.mark", "pond.wecom.contact-way.create",
                "pond.wecom.external-contact.get", "pond.wechatpay.coupon.issue",
                "pond.crm.record.update", "pond.crm.task.create", "pond.webhook.post",
                "pond.pond.customer.tag", "pond.pond.customer.attribute.set",
                "pond.pond.customer.stage.set", "pond.pond.task.create");
        assertThat(answer.getBody()).doesNotContain(Sandbox.CORP_SECRET).doesNotContain(Sandbox.AES_KEY);
    }

    private static Map<String, String> welcome() {
        Map<String, String> step = new LinkedHashMap<>();
        step.put(ElementTemplates.CONNECTOR_PROPERTY, "wecom.welcome-message.send:1");
        step.put(ElementTemplates.INPUT_PREFIX + "welcomeCode", "${journey.welcome_code}");
        step.put(ElementTemplates.INPUT_PREFIX + "text", "欢迎 ${customer.name}!");
        step.put(ElementTemplates.PURPOSE_PROPERTY, "SERVICE");
        return step;
    }

    private String welcomeCodeOf(long customer) {
        String properties = jdbc.queryForObject("select properties from pond_event where customer_id = ? and event_type = 'contact_added'",
                String.class, customer);
        try {
            return json.readTree(properties).path("welcome_code").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private int customerCount(String externalUserid) {
        return jdbc.queryForObject("select count(*) from pond_customer_identity where identity_value = ?", Integer.class,
                externalUserid);
    }

    private static String contactEvent(String externalUserid, String state) {
        return "<xml><ToUserName><![CDATA[" + Sandbox.CORP_ID + "]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>"
                + "<CreateTime>1732500000</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                + "<Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[add_external_contact]]></ChangeType>"
                + "<UserID><![CDATA[zhangsan]]></UserID><ExternalUserID><![CDATA[" + externalUserid + "]]></ExternalUserID>"
                + "<State><![CDATA[" + state + "]]></State></xml>";
    }

    /** Signed for now (the test's clock) with nonce n1: refusals that come before the nonce is looked at. */
    private ResponseEntity<String> post(String body, String signature) {
        return post(body, Long.toString(NOON.getEpochSecond()), "n1", signature);
    }

    private ResponseEntity<String> post(String body, String timestamp, String nonce, String signature) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.TEXT_XML);
        return rest.postForEntity("/callbacks/wecom?msg_signature={s}&timestamp={t}&nonce={n}",
                new HttpEntity<>(body, headers), String.class, signature, timestamp, nonce);
    }
}
