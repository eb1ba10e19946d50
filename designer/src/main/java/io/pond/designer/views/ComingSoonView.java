package io.pond.designer.views;

import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.HasDynamicTitle;

/** A section of the product that is not built yet: its name, what it will do, and that it is coming. */
abstract class ComingSoonView extends VerticalLayout implements HasDynamicTitle {

    private final String navKey;

    ComingSoonView(String navKey, String purposeKey) {
        this.navKey = navKey;
        H2 title = new H2(getTranslation(navKey));
        Paragraph purpose = new Paragraph(getTranslation(purposeKey));
        Paragraph soon = new Paragraph(getTranslation("comingSoon"));
        soon.addClassName("coming-soon");
        soon.getStyle().set("color", "var(--lumo-secondary-text-color)");
        add(title, purpose, soon);
    }

    @Override
    public String getPageTitle() {
        return getTranslation(navKey) + " · " + getTranslation("app.name");
    }
}
