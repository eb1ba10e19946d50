package io.pond.engine.customer;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.pond.engine.apikey.ApiKeyAuthenticationFilter.ApiClient;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/consents}: a customer agrees to or refuses a channel, e.g. the opt-out link of a
 * mini-program. A refusal for someone Pond does not know yet is kept for when they appear.
 */
@RestController
public class ConsentController {

    private final CustomerDirectory directory;
    private final Consents consents;
    private final TransactionTemplate transaction;

    public ConsentController(CustomerDirectory directory, Consents consents, TransactionTemplate transaction) {
        this.directory = directory;
        this.consents = consents;
        this.transaction = transaction;
    }

    /** {@code customer}: identities as in events; {@code channel}: WECOM, SMS...; {@code source}: where it was said. */
    public record ConsentChange(Map<String, String> customer, String channel, Boolean granted, String source) {
    }

    @PostMapping(path = "/api/v1/consents", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> change(@RequestBody ConsentChange change, @AuthenticationPrincipal ApiClient client) {
        Set<Identity> identities = new LinkedHashSet<>();
        if (change.customer() == null || change.customer().isEmpty()) {
            throw new IllegalArgumentException("customer is required: an object of identities, e.g. {\"phone\": \"13800000000\"}");
        }
        change.customer().forEach((key, value) -> {
            IdentityType type = IdentityType.ofKey(key).orElseThrow(
                    () -> new IllegalArgumentException("customer." + key + " is not an identity type"));
            try {
                identities.add(Identity.of(type, value));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("customer." + key + " " + e.getMessage());
            }
        });
        ConsentChannel channel;
        try {
            channel = ConsentChannel.valueOf(String.valueOf(change.channel()).trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("channel must be one of " + List.of(ConsentChannel.values()));
        }
        if (change.granted() == null) {
            throw new IllegalArgumentException("granted is required: true to agree, false to opt out");
        }
        long customerId = transaction.execute(status -> {
            long id = directory.resolve(List.of(identities), List.of("consent via API")) [0];
            if (change.granted()) {
                consents.grant(id, channel, change.source(), client.getName());
            } else {
                consents.revoke(id, channel, change.source(), client.getName());
            }
            return id;
        });
        return Map.of("customerId", customerId, "channel", channel.name(), "granted", change.granted());
    }
}
