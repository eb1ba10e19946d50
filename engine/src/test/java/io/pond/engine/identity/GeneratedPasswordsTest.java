package io.pond.engine.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;

import org.camunda.bpm.engine.impl.identity.DefaultPasswordPolicyImpl;
import org.camunda.bpm.engine.impl.identity.PasswordPolicyResultImpl;
import org.camunda.bpm.engine.identity.PasswordPolicyRule;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class GeneratedPasswordsTest {

    @RepeatedTest(20)
    void meetsCamundasDefaultPasswordPolicy() {
        String password = GeneratedPasswords.generate(20);
        assertThat(password).hasSize(20).matches("[A-Za-z0-9%+=@_-]+");
        for (PasswordPolicyRule rule : new DefaultPasswordPolicyImpl().getRules()) {
            if (rule.getPlaceholder().contains("USER")) {
                continue; // the user-data rule needs a user; the password holds no name anyway
            }
            assertThat(rule.execute(password)).as(rule.getPlaceholder() + " for " + password).isTrue();
        }
    }

    @Test
    void noTwoAreAlike() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(GeneratedPasswords.generate(20))).isTrue();
        }
    }

    @Test
    void refusesALengthThatCannotHoldEveryKindOfCharacter() {
        assertThatThrownBy(() -> GeneratedPasswords.generate(3)).isInstanceOf(IllegalArgumentException.class);
    }
}
