package io.pond.connectors.wecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The test vector of wecom-contract.md §6.2, and what a wrong key or signature does. */
class WeComCryptoTest {

    private final WeComCrypto crypto = new WeComCrypto("QDG6eK", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wwTESTCORP000001");

    @Test
    void reproducesTheContractsTestVector() {
        String echostr = crypto.encrypt("1616140317555161061", "0123456789abcdef");
        assertThat(echostr).isEqualTo("Q3stYC6hdFzMh9T8HCvyDH0IHJENRtL8kKsqSYgg4gC/2vEZZ12cWFxdkXI8HkiYMtdlY3/x6wKjIlEYaeBZVw==");
        assertThat(crypto.signature("1700000000", "1372623149", echostr)).isEqualTo("318cc1700ceb1babf01a9cae384d38f3c9651127");
        assertThat(crypto.decrypt(echostr)).isEqualTo("1616140317555161061");
    }

    @Test
    void aRoundTripKeepsAnyMessageAndPadsToThirtyTwoBytes() {
        for (String message : new String[] {"", "x", "<xml>欢迎 ✓</xml>", "a".repeat(1000)}) {
            String encrypted = crypto.encrypt(message);
            assertThat(java.util.Base64.getDecoder().decode(encrypted).length % 32).isZero();
            assertThat(crypto.decrypt(encrypted)).isEqualTo(message);
        }
    }

    @Test
    void aForgedSignatureAnotherKeyOrAnotherCorpIsRefused() {
        String encrypted = crypto.encrypt("hello");
        String signature = crypto.signature("1700000000", "42", encrypted);
        assertThat(crypto.verify(signature, "1700000000", "42", encrypted)).isTrue();
        assertThat(crypto.verify(signature, "1700000001", "42", encrypted)).isFalse();
        assertThat(crypto.verify("0".repeat(40), "1700000000", "42", encrypted)).isFalse();
        assertThat(crypto.verify(null, "1700000000", "42", encrypted)).isFalse();

        WeComCrypto otherKey = new WeComCrypto("QDG6eK", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg", "wwTESTCORP000001");
        assertThatThrownBy(() -> otherKey.decrypt(encrypted)).isInstanceOf(IllegalArgumentException.class);
        WeComCrypto otherCorp = new WeComCrypto("QDG6eK", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wwOTHERCORP00002");
        assertThatThrownBy(() -> otherCorp.decrypt(encrypted)).hasMessageContaining("not for wwOTHERCORP00002");
    }
}
