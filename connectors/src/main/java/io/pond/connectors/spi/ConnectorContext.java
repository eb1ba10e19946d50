package io.pond.connectors.spi;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/** What a connector gets besides its input: who the step is for, its settings, a key that makes it unique. */
public interface ConnectorContext {

    /**
     * Stable for one step of one journey for one customer (process instance, activity, loop counter) and the
     * same in every retry: pass it to remote APIs that deduplicate (WeChat Pay's out_request_no).
     */
    String idempotencyKey();

    /** The customer the journey runs for; empty when the step is not about a customer. */
    Optional<CustomerView> customer();

    /** The connector's settings, bound to its settings record, secrets decrypted. */
    <S extends Record> S settings(Class<S> type);

    Clock clock();

    /** A read-only view of the customer, as templates and connectors see them. */
    record CustomerView(long id, String displayName, String memberTier, long points, String timezone, String ownerId,
            Map<String, String> identities, Map<String, Object> attributes) {

        /** The first identity of a type (phone, wecom_external_userid, wechat_openid...). */
        public Optional<String> identity(String type) {
            return Optional.ofNullable(identities.get(type));
        }
    }
}
