package io.pond.designer.views;

import java.util.stream.Collectors;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.textfield.PasswordField;
import io.pond.engine.identity.PasswordChange;
import org.camunda.bpm.engine.identity.PasswordPolicyRule;

/** Lets the logged-in user replace their password, e.g. the one generated at the first start. */
class ChangePasswordDialog extends Dialog {

    final PasswordField current = new PasswordField();
    final PasswordField next = new PasswordField();
    final PasswordField repeat = new PasswordField();
    final Button save = new Button();

    ChangePasswordDialog(String userId, PasswordChange passwordChange) {
        setHeaderTitle(getTranslation("password.title"));
        current.setLabel(getTranslation("password.current"));
        next.setLabel(getTranslation("password.new"));
        next.setHelperText(getTranslation("password.rules"));
        repeat.setLabel(getTranslation("password.repeat"));
        current.setId("password-current");
        next.setId("password-new");
        repeat.setId("password-repeat");
        save.setId("password-save");
        for (PasswordField field : new PasswordField[] {current, next, repeat}) {
            field.setRequired(true);
            field.addValueChangeListener(change -> field.setInvalid(false));
        }
        FormLayout form = new FormLayout(current, next, repeat);
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1));
        add(form);

        save.setText(getTranslation("password.save"));
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        save.addClickListener(click -> save(userId, passwordChange));
        save.addClickShortcut(com.vaadin.flow.component.Key.ENTER);
        getFooter().add(new Button(getTranslation("action.cancel"), click -> close()), save);
    }

    private void save(String userId, PasswordChange passwordChange) {
        if (current.isEmpty()) {
            reject(current, getTranslation("password.error.required"));
            return;
        }
        if (!next.getValue().equals(repeat.getValue())) {
            reject(repeat, getTranslation("password.error.mismatch"));
            return;
        }
        PasswordChange.Result result = passwordChange.change(userId, current.getValue(), next.getValue());
        switch (result.outcome()) {
            case WRONG_CURRENT_PASSWORD -> reject(current, getTranslation("password.error.wrongCurrent"));
            case POLICY_VIOLATED -> reject(next, result.violatedRules().stream()
                    .map(this::describe)
                    .collect(Collectors.joining(getTranslation("list.separator"))));
            case CHANGED -> {
                close();
                Notification.show(getTranslation("password.changed"), 4000, Notification.Position.TOP_CENTER)
                        .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
            }
        }
    }

    private String describe(PasswordPolicyRule rule) {
        Object amount = rule.getParameters() == null ? null : rule.getParameters().values().stream().findFirst().orElse(null);
        return getTranslation("password.rule." + rule.getPlaceholder(), amount);
    }

    private static void reject(PasswordField field, String message) {
        field.setErrorMessage(message);
        field.setInvalid(true);
        field.focus();
    }
}
