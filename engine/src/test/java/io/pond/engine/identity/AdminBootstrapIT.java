package io.pond.engine.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.pond.engine.EngineTestApplication;
import io.pond.engine.test.PostgresTestDatabase;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** The administrator of a first start, on fresh PostgreSQL databases. */
@ExtendWith(OutputCaptureExtension.class)
class AdminBootstrapIT {

    private static final Pattern PRINTED_PASSWORD =
            Pattern.compile("administrator 'admin' with this password:\\s+(\\S+)\\s");

    @Test
    void withoutAPasswordTheFirstStartPrintsARandomOneOnceAndItWorks(CapturedOutput output) {
        PostgresTestDatabase database = PostgresTestDatabase.create();
        String password;
        try (ConfigurableApplicationContext first = start(database, "--pond.admin.password=")) {
            Matcher printed = PRINTED_PASSWORD.matcher(output.getOut());
            assertThat(printed.find()).as("the generated password is printed").isTrue();
            password = printed.group(1);
            assertThat(password).hasSize(IdentityBootstrap.GENERATED_PASSWORD_LENGTH);
            assertThat(first.getBean(IdentityService.class).checkPassword("admin", password)).isTrue();
        }
        int printedAfterFirstStart = count(output.getOut(), password);

        try (ConfigurableApplicationContext second = start(database, "--pond.admin.password=")) {
            assertThat(count(output.getOut(), password)).as("printed only once").isEqualTo(printedAfterFirstStart);
            assertThat(second.getBean(IdentityService.class).checkPassword("admin", password))
                    .as("a restart keeps the password").isTrue();
        }
    }

    @Test
    void aWeakAdminPasswordStopsTheFirstStartWithTheRulesItBreaks(CapturedOutput output) {
        PostgresTestDatabase database = PostgresTestDatabase.create();
        assertThatThrownBy(() -> start(database, "--pond.admin.password=admin").close())
                .rootCause()
                .hasMessageContaining("POND_ADMIN_PASSWORD (pond.admin.password) does not meet the password policy")
                .hasMessageContaining("PASSWORD_POLICY_LENGTH");
        // the operator reads the rule under Spring Boot's failure report, not at the end of a stack trace
        assertThat(output.getOut()).contains("APPLICATION FAILED TO START");
        String report = output.getOut().substring(output.getOut().lastIndexOf("APPLICATION FAILED TO START"));
        assertThat(report).contains("POND_ADMIN_PASSWORD (pond.admin.password) does not meet the password policy")
                .contains("start Pond again").doesNotContain("Caused by").doesNotContain("\tat ");
    }

    @Test
    void theAdministratorNameComesFromPondAdminUser() {
        PostgresTestDatabase database = PostgresTestDatabase.create();
        try (ConfigurableApplicationContext context = start(database,
                "--pond.admin.user=chief", "--pond.admin.password=Boss-Pass-2026")) {
            IdentityService identity = context.getBean(IdentityService.class);
            assertThat(identity.checkPassword("chief", "Boss-Pass-2026")).isTrue();
            assertThat(identity.createUserQuery().userId("admin").count()).isZero();
            assertThat(identity.createGroupQuery().groupMember("chief").groupId(PondRole.ADMIN.groupId()).count()).isOne();
        }
    }

    private static ConfigurableApplicationContext start(PostgresTestDatabase database, String... arguments) {
        List<String> all = new ArrayList<>(List.of(database.arguments()));
        all.addAll(List.of("--server.port=0", "--camunda.bpm.job-execution.enabled=false"));
        all.addAll(List.of(arguments));
        return new SpringApplicationBuilder(EngineTestApplication.class).run(all.toArray(String[]::new));
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
