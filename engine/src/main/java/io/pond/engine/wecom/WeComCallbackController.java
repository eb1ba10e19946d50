package io.pond.engine.wecom;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pond.connectors.spi.ConnectorDescriptor;
import io.pond.connectors.spi.ConnectorException;
import io.pond.connectors.wecom.WeComClient;
import io.pond.connectors.wecom.WeComCrypto;
import io.pond.connectors.wecom.WeComSettings;
import io.pond.connectors.wecom.WeComWelcomeMessage;
import io.pond.engine.connector.ConnectorSettings;
import io.pond.engine.customer.ConsentChannel;
import io.pond.engine.customer.Consents;
import io.pond.engine.customer.CustomerDirectory;
import io.pond.engine.customer.CustomerTags;
import io.pond.engine.customer.Identity;
import io.pond.engine.customer.IdentityType;
import io.pond.engine.customer.TagSource;
import io.pond.engine.event.EventIngestion;
import io.pond.engine.xml.SafeXml;
import io.pond.engine.security.ReplayGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.w3c.dom.Document;

/**
 * WeCom's callback URL ({@code /callbacks/wecom}): answers the URL check, refuses anything whose msg_signature
 * does not match, decrypts the events and turns contact changes into Pond events ({@code contact_added},
 * {@code contact_edited}, {@code contact_deleted}, {@code contact_deleted_staff}) for the customer with that
 * external_userid; the state and the welcome code travel as event properties, so a journey that starts on
 * {@code contact_added} can greet within the code's 20 seconds. A replayed event changes nothing.
 */
@RestController
public class WeComCallbackController {

    /** The tag group that holds source tags, one per contact-way state. */
    public static final String SOURCE_TAG_GROUP = "渠道来源";
    private static final Duration WELCOME_CODE_LIFE = Duration.ofSeconds(20);
    private static final Logger LOG = LoggerFactory.getLogger(WeComCallbackController.class);
    private static final Map<String, String> CHANGES = Map.of("add_external_contact", "contact_added",
            "add_half_external_contact", "contact_added", "edit_external_contact", "contact_edited",
            "del_external_contact", "contact_deleted", "del_follow_user", "contact_deleted_staff");

    private final ConnectorSettings settings;
    private final ConnectorDescriptor weCom = ConnectorDescriptor.of(WeComWelcomeMessage.class);
    private final EventIngestion ingestion;
    private final CustomerDirectory directory;
    private final CustomerTags tags;
    private final Consents consents;
    private final ObjectMapper json;
    private final Clock clock;
    private final ReplayGuard replays;

    public WeComCallbackController(ConnectorSettings settings, EventIngestion ingestion, CustomerDirectory directory,
            CustomerTags tags, Consents consents, ObjectMapper json, Clock clock, ReplayGuard replays) {
        this.settings = settings;
        this.replays = replays;
        this.consents = consents;
        this.ingestion = ingestion;
        this.directory = directory;
        this.tags = tags;
        this.json = json;
        this.clock = clock;
    }

    /** The URL check WeCom makes when the callback is configured: echo the decrypted echostr. */
    @GetMapping(path = "/callbacks/wecom", produces = MediaType.TEXT_PLAIN_VALUE)
    public ResponseEntity<String> verify(@RequestParam("msg_signature") String signature, @RequestParam String timestamp,
            @RequestParam String nonce, @RequestParam String echostr) {
        WeComCrypto crypto = crypto();
        if (!crypto.verify(signature, timestamp, nonce, echostr)) {
            return ResponseEntity.status(403).body("msg_signature does not match");
        }
        return ResponseEntity.ok(crypto.decrypt(echostr));
    }

    @PostMapping(path = "/callbacks/wecom", produces = MediaType.TEXT_PLAIN_VALUE)
    public ResponseEntity<String> event(@RequestParam("msg_signature") String signature, @RequestParam String timestamp,
            @RequestParam String nonce, @RequestBody String body) {
        Document envelope;
        try {
            envelope = SafeXml.parse(body);
        } catch (IllegalArgumentException e) {
            return ResponseEntity.badRequest().body(e.getMessage());
        }
        String encrypted = SafeXml.text(envelope, "Encrypt");
        WeComCrypto crypto = crypto();
        if (encrypted == null || !crypto.verify(signature, timestamp, nonce, encrypted)) {
            LOG.warn("A WeCom callback with a wrong msg_signature was refused");
            return ResponseEntity.status(403).body("msg_signature does not match");
        }
        // after the signature: only a signed request may spend a nonce
        ReplayGuard.Verdict verdict = replays.check("wecom", timestamp, nonce);
        if (verdict != ReplayGuard.Verdict.FRESH) {
            LOG.warn("A WeCom callback was refused: {}", verdict == ReplayGuard.Verdict.STALE
                    ? "its timestamp is more than 5 minutes away" : "its nonce was used before");
            return ResponseEntity.status(403).body(verdict == ReplayGuard.Verdict.STALE
                    ? "timestamp is more than 5 minutes old" : "nonce was used before");
        }
        Document event = SafeXml.parse(crypto.decrypt(encrypted));
        if (!"change_external_contact".equals(SafeXml.text(event, "Event"))) {
            return ResponseEntity.ok("");
        }
        String change = SafeXml.text(event, "ChangeType");
        String type = CHANGES.get(change);
        String externalUserid = SafeXml.text(event, "ExternalUserID");
        if (type == null || externalUserid == null) {
            return ResponseEntity.ok("");
        }
        String createTime = SafeXml.text(event, "CreateTime");
        String userid = SafeXml.text(event, "UserID");
        ObjectNode pondEvent = json.createObjectNode();
        // WeCom retries a callback that was not answered in time: this id makes a retry change nothing
        pondEvent.put("eventId", "wecom:" + change + ":" + userid + ":" + externalUserid + ":" + createTime);
        pondEvent.put("type", type);
        Instant occurred = occurredAt(createTime);
        pondEvent.put("occurredAt", occurred.atOffset(ZoneOffset.UTC).toString());
        ObjectNode who = pondEvent.putObject("customer").put("wecom_external_userid", externalUserid);
        JsonNode contact = "contact_added".equals(type) ? fetchContact(externalUserid) : null;
        String unionid = contact == null ? "" : contact.path("external_contact").path("unionid").asText("");
        if (!unionid.isEmpty()) {
            // the unionid links this WeCom contact to the same person seen on WeChat (mini-program, official account)
            who.put("wechat_unionid", unionid);
        }
        ObjectNode properties = pondEvent.putObject("properties");
        properties.put("userid", userid);
        properties.put("change_type", change);
        putIfPresent(properties, "state", SafeXml.text(event, "State"));
        String welcomeCode = SafeXml.text(event, "WelcomeCode");
        putIfPresent(properties, "welcome_code", welcomeCode);
        if (welcomeCode != null && !welcomeCode.isEmpty()) {
            // WeCom accepts the code for 20 s after the add: a journey that gets it later greets another way
            properties.put("welcome_code_expires_at", occurred.plus(WELCOME_CODE_LIFE).toString());
        }
        putIfPresent(properties, "source", SafeXml.text(event, "Source"));
        EventIngestion.Result result = ingestion.ingest(pondEvent);
        if (!result.rejected().isEmpty()) {
            LOG.warn("A WeCom callback could not become an event: {}", result.rejected());
        }
        if (result.accepted() > 0 && "contact_added".equals(type)) {
            completeProfile(externalUserid, contact == null ? "" : contact.path("external_contact").path("name").asText(""), userid);
            recordConsent(externalUserid, userid, SafeXml.text(event, "State"));
        }
        String state = SafeXml.text(event, "State");
        if (result.accepted() > 0 && state != null && !state.isBlank() && "contact_added".equals(type)) {
            tagSource(externalUserid, state.trim());
        }
        return ResponseEntity.ok("");
    }

    /** The contact's WeCom profile (name, unionid), or null when WeCom does not answer: the event counts anyway. */
    private JsonNode fetchContact(String externalUserid) {
        try {
            return WeComClient.of(settings.load(weCom, WeComSettings.class), clock)
                    .get("/cgi-bin/externalcontact/get", Map.of("external_userid", externalUserid));
        } catch (ConnectorException e) {
            LOG.warn("The profile of a new WeCom contact could not be fetched: {}", e.getMessage());
            return null;
        }
    }

    /** A new contact gets WeCom's name and the staff member who added them, unless Pond knows better already. */
    private void completeProfile(String externalUserid, String name, String userid) {
        directory.findByIdentity(Identity.of(IdentityType.WECOM_EXTERNAL_USERID, externalUserid)).flatMap(directory::find)
                .ifPresent(customer -> {
                    String displayName = (customer.displayName() == null || customer.displayName().isBlank()) && !name.isBlank()
                            ? name : null;
                    String owner = customer.ownerId() == null && userid != null ? userid : null;
                    directory.updateProfiles(List.of(customer.id()),
                            List.of(new CustomerDirectory.ProfilePatch(displayName, null, null, null, null, owner)));
                });
    }

    /**
     * Adding a staff member on WeCom is the customer's own choice to be contacted there: it counts as consent for the
     * WeCom channel, with where it came from. A refusal recorded earlier is never overridden.
     */
    private void recordConsent(String externalUserid, String userid, String state) {
        directory.findByIdentity(Identity.of(IdentityType.WECOM_EXTERNAL_USERID, externalUserid)).ifPresent(customer -> {
            if (consents.current(customer, ConsentChannel.WECOM).isEmpty()) {
                consents.grant(customer, ConsentChannel.WECOM, "added " + userid + " on WeCom"
                        + (state == null || state.isBlank() ? "" : " (channel code " + state.trim() + ")"), "wecom-callback");
            }
        });
    }

    /** The contact way's state names the channel the customer came through: it becomes a source tag. */
    private void tagSource(String externalUserid, String state) {
        directory.findByIdentity(Identity.of(IdentityType.WECOM_EXTERNAL_USERID, externalUserid)).ifPresent(customer -> {
            CustomerTags.Tag tag = tags.ensureTag(SOURCE_TAG_GROUP, state, null);
            tags.tag(List.of(customer), tag.id(), TagSource.CHANNEL_QR);
        });
    }

    private WeComCrypto crypto() {
        WeComSettings weComSettings = settings.load(weCom, WeComSettings.class);
        if (weComSettings.callbackToken() == null || weComSettings.encodingAesKey() == null) {
            throw new IllegalStateException("The WeCom callback token and EncodingAESKey are not set up");
        }
        return new WeComCrypto(weComSettings.callbackToken(), weComSettings.encodingAesKey(), weComSettings.corpId());
    }

    private Instant occurredAt(String createTime) {
        try {
            return Instant.ofEpochSecond(Long.parseLong(createTime));
        } catch (NumberFormatException e) {
            return clock.instant();
        }
    }

    private static void putIfPresent(ObjectNode node, String name, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(name, value);
        }
    }

}
