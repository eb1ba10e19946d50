package io.pond.designer.views.tags;

import java.util.ArrayList;
import java.util.List;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import io.pond.designer.security.CurrentUser;
import io.pond.designer.views.MainLayout;
import io.pond.engine.customer.CustomerTags;
import io.pond.engine.event.AutoTagRules;
import io.pond.engine.event.PropertyCondition;
import io.pond.engine.identity.Permission;
import jakarta.annotation.security.PermitAll;

/** Tag groups and tags (mirrors of WeCom corp tags), and the rules that tag customers as their events arrive. */
@Route(value = "tags", layout = MainLayout.class)
@PermitAll
public class TagsView extends VerticalLayout implements HasDynamicTitle {

    final Grid<CustomerTags.Tag> tagGrid = new Grid<>();
    final Grid<AutoTagRules.Rule> ruleGrid = new Grid<>();
    final TextField group = new TextField();
    final TextField tagName = new TextField();

    private final CustomerTags tags;
    private final AutoTagRules rules;

    public TagsView(CustomerTags tags, AutoTagRules rules, CurrentUser user) {
        this.tags = tags;
        this.rules = rules;
        boolean editable = user.can(Permission.EDIT_TAGS_AND_RULES);
        add(new H2(getTranslation("nav.tags")));

        add(new H3(getTranslation("tags.title")));
        tagGrid.setId("tag-grid");
        tagGrid.addColumn(CustomerTags.Tag::groupName).setHeader(getTranslation("tags.group")).setAutoWidth(true);
        tagGrid.addColumn(CustomerTags.Tag::name).setHeader(getTranslation("tags.name")).setAutoWidth(true);
        tagGrid.addColumn(CustomerTags.Tag::weComTagId).setHeader(getTranslation("tags.wecomId"));
        if (editable) {
            tagGrid.addComponentColumn(tag -> {
                Button delete = new Button(VaadinIcon.TRASH.create(), click -> {
                    try {
                        tags.deleteTag(tag.id());
                        refresh();
                    } catch (IllegalStateException e) {
                        Notification.show(getTranslation("tags.inUse")).addThemeVariants(NotificationVariant.LUMO_ERROR);
                    }
                });
                delete.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
                delete.getElement().setAttribute("aria-label", getTranslation("tags.delete", tag.label()));
                return delete;
            }).setFlexGrow(0);
            group.setPlaceholder(getTranslation("tags.group"));
            group.setId("tag-group");
            tagName.setPlaceholder(getTranslation("tags.name"));
            tagName.setId("tag-name");
            Button create = new Button(getTranslation("tags.create"), click -> {
                try {
                    tags.ensureTag(group.getValue(), tagName.getValue(), null);
                    tagName.clear();
                    refresh();
                } catch (IllegalArgumentException e) {
                    tagName.setErrorMessage(e.getMessage());
                    tagName.setInvalid(true);
                }
            });
            create.setId("tag-create");
            HorizontalLayout form = new HorizontalLayout(group, tagName, create);
            form.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
            add(form);
        }
        tagGrid.setAllRowsVisible(true);
        add(tagGrid);

        add(new H3(getTranslation("rules.title")));
        Paragraph help = new Paragraph(getTranslation("rules.help"));
        help.getStyle().set("color", "var(--lumo-secondary-text-color)");
        add(help);
        ruleGrid.setId("rule-grid");
        ruleGrid.addColumn(AutoTagRules.Rule::name).setHeader(getTranslation("rules.name")).setAutoWidth(true);
        ruleGrid.addColumn(rule -> getTranslation("rules.summary", rule.eventType(),
                rule.conditions().isEmpty() ? "" : describe(rule.conditions()),
                getTranslation("rules.action." + rule.action().name()),
                tags.tag(rule.tagId()).map(CustomerTags.Tag::label).orElse("?"))).setHeader(getTranslation("rules.what"));
        ruleGrid.addColumn(rule -> getTranslation(rule.enabled() ? "rules.on" : "rules.off"))
                .setHeader(getTranslation("rules.enabled")).setAutoWidth(true);
        if (editable) {
            ruleGrid.addItemDoubleClickListener(click -> editRule(click.getItem()));
            Button newRule = new Button(getTranslation("rules.new"), VaadinIcon.PLUS.create(), click -> editRule(null));
            newRule.setId("rule-new");
            add(newRule);
        }
        ruleGrid.setAllRowsVisible(true);
        add(ruleGrid);
        refresh();
    }

    private String describe(List<PropertyCondition> conditions) {
        List<String> parts = new ArrayList<>();
        for (PropertyCondition c : conditions) {
            parts.add(c.property() + " " + getTranslation("rules.operator." + c.operator().name())
                    + (c.value() == null ? "" : " " + c.value()));
        }
        return getTranslation("rules.where", String.join(getTranslation("rules.and"), parts));
    }

    private void editRule(AutoTagRules.Rule rule) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(getTranslation(rule == null ? "rules.new" : "rules.edit"));
        TextField ruleName = new TextField(getTranslation("rules.name"));
        TextField eventType = new TextField(getTranslation("rules.eventType"));
        eventType.setHelperText(getTranslation("rules.eventType.help"));
        Select<AutoTagRules.Action> action = new Select<>();
        action.setLabel(getTranslation("rules.action"));
        action.setItems(AutoTagRules.Action.values());
        action.setItemLabelGenerator(a -> getTranslation("rules.action." + a.name()));
        action.setValue(AutoTagRules.Action.ADD);
        ComboBox<CustomerTags.Tag> tag = new ComboBox<>(getTranslation("rules.tag"));
        tag.setItems(tags.tags());
        tag.setItemLabelGenerator(CustomerTags.Tag::label);
        Checkbox enabled = new Checkbox(getTranslation("rules.enabled"), true);
        VerticalLayout conditionRows = new VerticalLayout();
        conditionRows.setPadding(false);
        List<PropertyRow> conditions = new ArrayList<>();
        Button addCondition = new Button(getTranslation("rules.addCondition"), VaadinIcon.PLUS.create(), click -> {
            PropertyRow row = new PropertyRow(null, removed -> {
                conditions.remove(removed);
                conditionRows.remove(removed);
            });
            conditions.add(row);
            conditionRows.add(row);
        });
        addCondition.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        if (rule != null) {
            ruleName.setValue(rule.name());
            eventType.setValue(rule.eventType());
            action.setValue(rule.action());
            tags.tag(rule.tagId()).ifPresent(tag::setValue);
            enabled.setValue(rule.enabled());
            for (PropertyCondition condition : rule.conditions()) {
                PropertyRow row = new PropertyRow(condition, removed -> {
                    conditions.remove(removed);
                    conditionRows.remove(removed);
                });
                conditions.add(row);
                conditionRows.add(row);
            }
        }
        FormLayout form = new FormLayout(ruleName, eventType, action, tag, enabled);
        dialog.add(form, conditionRows, addCondition);
        com.vaadin.flow.component.html.Span problem = new com.vaadin.flow.component.html.Span();
        problem.getStyle().set("color", "var(--lumo-error-text-color)");
        dialog.add(problem);
        Button saveRule = new Button(getTranslation("action.save"), click -> {
            try {
                if (tag.getValue() == null) {
                    throw new IllegalArgumentException(getTranslation("rules.tag.required"));
                }
                List<PropertyCondition> parsed = new ArrayList<>();
                for (PropertyRow row : conditions) {
                    parsed.add(row.condition());
                }
                rules.save(new AutoTagRules.Rule(rule == null ? null : rule.id(), ruleName.getValue(), eventType.getValue(),
                        parsed, action.getValue(), tag.getValue().id(), enabled.getValue()));
                dialog.close();
                refresh();
            } catch (IllegalArgumentException e) {
                problem.setText(e.getMessage());
            }
        });
        saveRule.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Button deleteRule = new Button(getTranslation("rules.delete"), click -> {
            rules.delete(rule.id());
            dialog.close();
            refresh();
        });
        deleteRule.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
        deleteRule.setVisible(rule != null);
        dialog.getFooter().add(deleteRule, new Button(getTranslation("action.cancel"), click -> dialog.close()), saveRule);
        dialog.open();
    }

    /** One "property operator value" line of a rule. */
    private final class PropertyRow extends HorizontalLayout {
        final TextField property = new TextField();
        final Select<PropertyCondition.Operator> operator = new Select<>();
        final TextField value = new TextField();

        PropertyRow(PropertyCondition condition, java.util.function.Consumer<PropertyRow> removed) {
            property.setPlaceholder(getTranslation("rules.property"));
            operator.setItems(PropertyCondition.Operator.values());
            operator.setItemLabelGenerator(o -> getTranslation("rules.operator." + o.name()));
            operator.setValue(PropertyCondition.Operator.EQUALS);
            value.setPlaceholder(getTranslation("segment.value"));
            operator.addValueChangeListener(change -> value.setVisible(change.getValue() != PropertyCondition.Operator.EXISTS));
            if (condition != null) {
                property.setValue(condition.property());
                operator.setValue(condition.operator());
                value.setValue(condition.value() == null ? "" : condition.value());
            }
            Button remove = new Button(VaadinIcon.CLOSE_SMALL.create(), click -> removed.accept(this));
            remove.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
            setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
            add(property, operator, value, remove);
        }

        PropertyCondition condition() {
            return new PropertyCondition(property.getValue(), operator.getValue(),
                    operator.getValue() == PropertyCondition.Operator.EXISTS ? null : value.getValue());
        }
    }

    private void refresh() {
        tagGrid.setItems(tags.tags());
        ruleGrid.setItems(rules.rules());
    }

    @Override
    public String getPageTitle() {
        return getTranslation("nav.tags") + " · " + getTranslation("app.name");
    }
}
