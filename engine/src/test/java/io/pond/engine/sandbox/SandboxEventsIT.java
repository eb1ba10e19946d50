package io.pond.engine.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import io.pond.engine.journey.EventRule;
import io.pond.engine.journey.JourneySettings;
import io.pond.engine.journey.JourneyTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A first-run user plays a customer in the sandbox: their events enter journeys and move them on as real ones do. */
class SandboxEventsIT extends JourneyTestSupport {

    @Autowired SandboxEvents sandboxEvents;

    @Test
    void eventsSentInTheSandboxEnterTheCustomerAndMoveThemOnFromTheirWait() {
        String key = key("sandbox-cart");
        publish(key, """
                <bpmn:startEvent id="start"/>
                %s
                <bpmn:intermediateCatchEvent id="read"><bpmn:messageEventDefinition messageRef="m_read"/></bpmn:intermediateCatchEvent>
                %s%s%s
                <bpmn:endEvent id="end"/>""".formatted(flow("f1", "start", "read"), flow("f2", "read", "remind"),
                send("remind", "Your cart is waiting"), flow("f3", "remind", "end")),
                new JourneySettings(new JourneySettings.Entry(JourneySettings.EntryType.EVENT,
                        new EventRule("cart_item_added", List.of()), null), JourneySettings.Reentry.ONCE, null, null, List.of(),
                        false));
        assertThat(sandboxEvents.eventTypesInUse()).as("the types worth sending: entries and waits of live journeys")
                .contains("cart_item_added", "article_read");
        long customer = customer("cart-" + key);
        assertThat(sandboxEvents.customerOnWeCom(externalUserid(customer))).as("the scanned customer, found for the form")
                .contains(customer);

        SandboxEvents.Sent sent = sandboxEvents.send(customer, "cart_item_added", "{\"sku\": \"tea-01\"}");
        deliverEvents();

        assertThat(sent.customerId()).isEqualTo(customer);
        assertThat(waitingAt(key, customer)).containsExactly("read");
        assertThat(runtimeService.getVariable(enrollment(key, customer).processInstanceId(), "sku"))
                .as("the sandbox event's properties reach the journey").isEqualTo("tea-01");

        sandboxEvents.send(customer, "article_read", "");
        deliverEvents();
        runDueJobs();

        assertThat(messagesTo(customer)).containsExactly("Your cart is waiting");
        assertThat(waitingAt(key, customer)).isEmpty();
    }

    @Test
    void wrongInputIsRefusedWithWhatIsWrongAndNothingIsSent() {
        long customer = customer("wrong-" + key("sandbox-wrong"));
        Integer before = eventsOf(customer);

        assertThatThrownBy(() -> sandboxEvents.send(987_654_321L, "cart_item_added", "{}"))
                .isInstanceOf(SandboxEvents.Refused.class).hasMessage("There is no customer 987654321.")
                .extracting(e -> ((SandboxEvents.Refused) e).reason()).isEqualTo(SandboxEvents.Reason.NO_CUSTOMER);
        assertThatThrownBy(() -> sandboxEvents.send(customer, "cart_item_added", "{\"sku\": tea}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("The properties are not JSON (")
                .hasMessageEndingWith("write an object, e.g. {\"product\": \"product-a\"}.");
        assertThatThrownBy(() -> sandboxEvents.send(customer, "cart_item_added", "[\"tea-01\"]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The properties must be a JSON object, e.g. {\"product\": \"product-a\"}.");
        assertThatThrownBy(() -> sandboxEvents.send(customer, "Added To Cart", "{}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("type must be lower-case letters")
                .extracting(e -> ((SandboxEvents.Refused) e).reason()).isEqualTo(SandboxEvents.Reason.BAD_TYPE);
        assertThatThrownBy(() -> sandboxEvents.send(customer, " ", "{}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("type is required");

        assertThat(eventsOf(customer)).as("nothing was stored for the refused events").isEqualTo(before);
    }

    private Integer eventsOf(long customer) {
        return jdbc.queryForObject("select count(*) from pond_event where customer_id = ?", Integer.class, customer);
    }

    private void deliverEvents() {
        while (outbox.deliverBatch() > 0) {
            // until the outbox is empty
        }
    }
}
