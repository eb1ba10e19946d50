package io.pond.engine.security;

import java.util.Map;

import io.pond.engine.apikey.ApiKeyAuthenticationFilter;
import io.pond.engine.apikey.ApiKeys;
import io.pond.engine.identity.PondRole;
import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.camunda.bpm.engine.rest.security.auth.impl.ContainerBasedAuthenticationProvider;
import org.camunda.bpm.webapp.impl.security.auth.ContainerBasedAuthenticationFilter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Security of everything Camunda serves. Camunda opens its REST API and trusts its webapps' own login;
 * here every one of them needs a Pond login and the admin role:
 * <ul>
 * <li>{@code /api/**}: Pond's own API, an API key and a signed body, no session;</li>
 * <li>{@code /engine-rest/**}: HTTP Basic, no session;</li>
 * <li>{@code /camunda/**} (Cockpit, Tasklist, Admin): the session of Pond's login page; Camunda's
 * webapps take the logged-in user from it instead of showing their own login;</li>
 * <li>{@code /actuator/health}: public, status only; every other endpoint: admin.</li>
 * </ul>
 * The UI module secures all remaining paths with its own, last filter chain.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class EngineSecurityConfiguration {

    private static final String ADMIN = PondRole.ADMIN.name();

    @Bean
    @Order(10)
    SecurityFilterChain engineRestSecurity(HttpSecurity http,
            @Value("${spring.jersey.application-path:/engine-rest}") String restPath) throws Exception {
        http.securityMatcher(path(restPath + "/**"))
                .authorizeHttpRequests(requests -> {
                    for (String resource : ENGINE_REST_RESOURCES) {
                        requests.requestMatchers(path(restPath + "/" + resource), path(restPath + "/" + resource + "/**"))
                                .hasRole(ADMIN);
                    }
                    // reading deployments is fine; deploying goes through Pond's publish and its checks
                    requests.requestMatchers(PathPatternRequestMatcher.withDefaults()
                            .matcher(org.springframework.http.HttpMethod.GET, restPath + "/deployment/**")).hasRole(ADMIN);
                    requests.anyRequest().denyAll();
                });
        // Refusals are written here, not through the servlet container's error page: that page would be rendered by
        // Spring MVC, which tries to read a multipart request's parts (Jersey's servlet has no multipart configuration)
        // and logs a stack trace for each refused upload; and a Camunda client reads Camunda's {type, message}.
        AuthenticationEntryPoint logIn = (request, response, failed) -> {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"Pond\"");
            camundaError(response, HttpStatus.UNAUTHORIZED, "Log in with HTTP Basic as a Pond administrator.");
        };
        http.httpBasic(basic -> basic.authenticationEntryPoint(logIn))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(logIn)
                        .accessDeniedHandler((request, response, denied) -> camundaError(response, HttpStatus.FORBIDDEN,
                                isAdmin() ? "Pond keeps this part of Camunda's REST API closed. Journeys are deployed by"
                                        + " publishing them in Pond, events go to /api/v1/events; admins may use the engine,"
                                        + " users and groups, process definitions and instances, tasks, incidents, jobs and"
                                        + " history, and read deployments."
                                        : "Camunda's REST API is for Pond administrators.")));
        return statelessBasic(http).build();
    }

    private static boolean isAdmin() {
        var authentication = org.springframework.security.core.context.SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getAuthorities().stream()
                .anyMatch(authority -> ("ROLE_" + ADMIN).equals(authority.getAuthority()));
    }

    /** An error in the shape Camunda's REST API answers with, so its clients show the message. */
    private static void camundaError(jakarta.servlet.http.HttpServletResponse response, HttpStatus status, String message)
            throws java.io.IOException {
        response.setStatus(status.value());
        response.setContentType(org.springframework.http.MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(java.nio.charset.StandardCharsets.UTF_8.name());
        response.getWriter().write(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("type", status == HttpStatus.UNAUTHORIZED ? "AuthenticationException" : "AuthorizationException")
                .put("message", message).toString());
    }

    /**
     * What of Camunda's REST API admins may use: the engine's state, users and groups, process definitions and
     * instances, tasks, incidents, jobs and history. Not filters (stored queries hold expressions), messages and
     * signals (they bypass Pond's event intake), deployments other than reading them, batches, decisions, cases.
     */
    private static final java.util.List<String> ENGINE_REST_RESOURCES = java.util.List.of("engine", "version", "user",
            "group", "identity", "process-definition", "process-instance", "execution", "task", "incident", "job",
            "job-definition", "history", "metrics", "variable-instance");

    /** No expression reaches Camunda's REST APIs, in any field of any query (see {@link NoExpressionsInQueries}). */
    @Bean
    org.springframework.boot.web.servlet.FilterRegistrationBean<NoExpressionsInQueries> noExpressionsInQueries(
            @Value("${spring.jersey.application-path:/engine-rest}") String restPath,
            @Value("${camunda.bpm.webapp.application-path:/camunda}") String webappPath) {
        var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(new NoExpressionsInQueries());
        registration.addUrlPatterns(restPath + "/*", webappPath + "/api/*");
        // after Spring Security (a stranger gets 401, not a lesson in what is refused), before Jersey
        registration.setOrder(org.springframework.boot.autoconfigure.security.SecurityProperties.DEFAULT_FILTER_ORDER + 1);
        return registration;
    }

    /**
     * Pond's own API: machine callers with an API key and a signed body (see {@link ApiKeys}); the element
     * templates may also be fetched by any user with HTTP Basic (e.g. for Camunda Modeler).
     */
    @Bean
    @Order(5)
    SecurityFilterChain apiSecurity(HttpSecurity http, ApiKeys apiKeys, ReplayGuard replays) throws Exception {
        http.securityMatcher(path("/api/**"))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(path("/api/v1/connectors/element-templates")).authenticated()
                        .anyRequest().hasRole(ApiKeyAuthenticationFilter.ROLE))
                .addFilterBefore(new ApiKeyAuthenticationFilter(apiKeys, replays), AnonymousAuthenticationFilter.class)
                .httpBasic(basic -> basic.realmName("Pond"))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED))
                        // a person's login where a key is needed: say so, not a bare 403
                        .accessDeniedHandler((request, response, denied) -> ApiKeyAuthenticationFilter.reject(response,
                                HttpStatus.FORBIDDEN.value(), "This call needs an API key (X-Pond-Key and a signature); a"
                                        + " user's login may only fetch the element templates. Admins and developers create"
                                        + " keys under Settings > API keys.")))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(AbstractHttpConfigurer::disable);
        return http.build();
    }

    /**
     * Endpoints other systems call with their own proof instead of a login: WeCom's callbacks (msg_signature)
     * and the sandbox's stand-ins for WeCom, WeChat Pay and a CRM (their own credentials, as the real APIs).
     */
    @Bean
    @Order(6)
    SecurityFilterChain signedCallbacks(HttpSecurity http) throws Exception {
        http.securityMatcher(new OrRequestMatcher(path("/callbacks/**"), path("/sandbox/**")))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(AbstractHttpConfigurer::disable);
        return http.build();
    }

    @Bean
    @Order(20)
    SecurityFilterChain actuatorSecurity(HttpSecurity http) throws Exception {
        http.securityMatcher(EndpointRequest.toAnyEndpoint())
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll()
                        .anyRequest().hasRole(ADMIN));
        return statelessBasic(http).build();
    }

    @Bean
    @Order(30)
    SecurityFilterChain camundaWebappSecurity(HttpSecurity http,
            @Value("${camunda.bpm.webapp.application-path:/camunda}") String webappPath,
            @Value("${pond.security.login-page:/login}") String loginPage) throws Exception {
        http.securityMatcher(path(webappPath + "/**"))
                .authorizeHttpRequests(requests -> requests.anyRequest().hasRole(ADMIN))
                .exceptionHandling(errors -> errors
                        // the webapps' own API calls get a status, pages go to Pond's login
                        .defaultAuthenticationEntryPointFor(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED),
                                path(webappPath + "/api/**"))
                        .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint(loginPage),
                                path(webappPath + "/**")))
                // Camunda's webapps run their own CSRF filter and set their own security headers
                .csrf(AbstractHttpConfigurer::disable)
                .headers(AbstractHttpConfigurer::disable);
        return http.build();
    }

    /** HTTP Basic on every request and no session: no cookie is accepted, so there is nothing to forge. */
    private static HttpSecurity statelessBasic(HttpSecurity http) throws Exception {
        return http.httpBasic(basic -> basic.realmName("Pond"))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(AbstractHttpConfigurer::disable);
    }

    /** Matches on the path alone: Spring MVC's matcher would not see Jersey's and Camunda's servlets. */
    private static RequestMatcher path(String pattern) {
        return PathPatternRequestMatcher.withDefaults().matcher(pattern);
    }

    /** Lets Cockpit, Tasklist and Admin take the user from Pond's login (runs after Spring Security). */
    @Bean
    FilterRegistrationBean<ContainerBasedAuthenticationFilter> camundaWebappAuthentication(
            @Value("${camunda.bpm.webapp.application-path:/camunda}") String webappPath) {
        var registration = new FilterRegistrationBean<>(new ContainerBasedAuthenticationFilter());
        registration.setInitParameters(
                Map.of("authentication-provider", ContainerBasedAuthenticationProvider.class.getName()));
        registration.addUrlPatterns(webappPath + "/*");
        registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER + 1);
        return registration;
    }

    /**
     * Tells the engine who calls the REST API, so Camunda's history and operation log name the user
     * (runs after Spring Security, which has already checked the credentials).
     */
    @Bean
    FilterRegistrationBean<ProcessEngineAuthenticationFilter> engineRestAuthentication(
            @Value("${spring.jersey.application-path:/engine-rest}") String restPath) {
        var registration = new FilterRegistrationBean<>(new ProcessEngineAuthenticationFilter());
        registration.setInitParameters(
                Map.of("authentication-provider", ContainerBasedAuthenticationProvider.class.getName()));
        registration.addUrlPatterns(restPath + "/*");
        registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER + 1);
        return registration;
    }
}
