package io.pond.engine.customer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pond.engine.EngineTestApplication;
import io.pond.engine.db.SqlDialect;
import io.pond.engine.event.EventIngestion;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The same ingestion on the embedded default (H2), whose SQL differs in a few statements. */
@SpringBootTest(classes = EngineTestApplication.class, properties = {"pond.admin.password=Pond-Pass-2026",
        "camunda.bpm.job-execution.enabled=false", "spring.datasource.url=jdbc:h2:mem:customers;DB_CLOSE_DELAY=-1",
        "camunda.bpm.process-engine-name=h2"})
class EmbeddedH2CustomerDataIT {

    @Autowired EventIngestion ingestion;
    @Autowired CustomerDirectory directory;
    @Autowired CustomerTags tags;
    @Autowired SqlDialect dialect;
    @Autowired ObjectMapper json;

    @Test
    void eventsCreateMergeAndTagCustomersOnH2Too() throws Exception {
        assertThat(dialect).isEqualTo(SqlDialect.H2);
        EventIngestion.Result first = ingestion.ingest(json.readTree("""
                [{"eventId": "h2-1", "type": "contact_added", "occurredAt": "2026-11-24T10:00:00+08:00", "customer": {"phone": "13900000001"}},
                 {"eventId": "h2-2", "type": "order_paid", "occurredAt": "2026-11-24T10:00:00+08:00", "customer": {"member_id": "H2-M"}},
                 {"eventId": "h2-2", "type": "order_paid", "occurredAt": "2026-11-24T10:00:00+08:00", "customer": {"member_id": "H2-M"}}]"""));
        assertThat(first.accepted()).isEqualTo(2);
        assertThat(first.duplicates()).isOne();

        ingestion.ingest(json.readTree("""
                {"eventId": "h2-3", "type": "member_bound", "occurredAt": "2026-11-24T11:00:00+08:00",
                 "customer": {"phone": "13900000001", "member_id": "H2-M"}}"""));
        long customer = directory.findByIdentity(new Identity(IdentityType.PHONE, "+8613900000001")).orElseThrow();
        assertThat(directory.findByIdentity(new Identity(IdentityType.MEMBER_ID, "H2-M"))).contains(customer);
        assertThat(directory.merges(customer)).hasSize(1);

        CustomerTags.Tag tag = tags.ensureTag("Value", "VIP", null);
        assertThat(tags.tag(List.of(customer, customer), tag.id(), TagSource.MANUAL)).isOne();
    }
}
