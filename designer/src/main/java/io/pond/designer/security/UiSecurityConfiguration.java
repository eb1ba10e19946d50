package io.pond.designer.security;

import com.vaadin.flow.spring.security.VaadinAwareSecurityContextHolderStrategyConfiguration;
import com.vaadin.flow.spring.security.VaadinSecurityConfigurer;
import io.pond.designer.views.LoginView;
import jakarta.servlet.DispatcherType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The last filter chain: every path the engine's chains (REST API, Camunda's webapps, actuator) do not
 * claim needs a login; views open to everyone logged in, or to some roles, by annotation.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@Import(VaadinAwareSecurityContextHolderStrategyConfiguration.class)
class UiSecurityConfiguration {

    @Bean
    @Order(100)
    SecurityFilterChain uiSecurity(HttpSecurity http) throws Exception {
        // Error dispatches render the status the other chains already decided (e.g. the REST API's 401);
        // securing them again here would turn that status into a redirect to the login page.
        http.authorizeHttpRequests(requests -> requests.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll());
        return http.with(VaadinSecurityConfigurer.vaadin(), vaadin -> vaadin.loginView(LoginView.class, "/login?logout"))
                .build();
    }
}
