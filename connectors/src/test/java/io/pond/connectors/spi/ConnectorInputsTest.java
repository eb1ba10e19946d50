package io.pond.connectors.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.pond.connectors.coupon.WeChatPayCoupon;
import org.junit.jupiter.api.Test;

class ConnectorInputsTest {

    private final ConnectorDescriptor coupon = ConnectorDescriptor.of(WeChatPayCoupon.class);

    private Object bind(Map<String, String> identities) {
        var customer = new ConnectorContext.CustomerView(1, "王小明", null, 0, "Asia/Shanghai", "zhangsan", identities, Map.of());
        return ConnectorInputs.bind(coupon.inputType(), coupon.inputs(), Map.of("stockId", "CART5"), customer, Map.of());
    }

    @Test
    void aDefaultWithAPlaceholderIsFilledFromTheCustomer() {
        assertThat(bind(Map.of("wechat_openid", "oABC"))).hasToString("CouponInput[stockId=CART5, openid=oABC]");
    }

    @Test
    void aDefaultTheCustomerCannotFillStaysEmptyNotLiteral() {
        // the connector then refuses the customer clearly (no openid) instead of sending to "${customer.identity...}"
        assertThat(bind(Map.of("wecom_external_userid", "wm1"))).hasToString("CouponInput[stockId=CART5, openid=null]");
    }
}
