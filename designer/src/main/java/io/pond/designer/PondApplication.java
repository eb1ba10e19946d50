package io.pond.designer;

import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.server.AppShellSettings;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Pond: the designer UI together with the engine, the connectors, the shipped processes and Camunda's webapps. */
@SpringBootApplication
public class PondApplication implements AppShellConfigurator {

    public static void main(String[] args) {
        SpringApplication.run(PondApplication.class, args);
    }

    @Override
    public void configurePage(AppShellSettings settings) {
        settings.addFavIcon("icon", "images/pond-logo.svg", "any");
    }
}
