package io.pond.engine.customer;

/** Channels a customer can agree to be contacted on, or refuse. */
public enum ConsentChannel {
    WECOM, WECHAT, SMS, EMAIL, PHONE
}
