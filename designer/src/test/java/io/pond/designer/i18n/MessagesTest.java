package io.pond.designer.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.pond.engine.identity.PondRole;
import org.camunda.bpm.engine.identity.PasswordPolicyRule;
import org.camunda.bpm.engine.impl.identity.DefaultPasswordPolicyImpl;
import org.junit.jupiter.api.Test;

/** Every text exists in English and Chinese, and every key the code asks for exists. */
class MessagesTest {

    private static final Pattern KEY_IN_CODE = Pattern.compile("getTranslation\\(\"([A-Za-z0-9_.]*[A-Za-z0-9_])\"");

    private final PondI18NProvider provider = new PondI18NProvider();

    @Test
    void englishAndChineseHaveTheSameKeysAndNoEmptyText() {
        Properties english = load("i18n/messages.properties");
        Properties chinese = load("i18n/messages_zh_CN.properties");
        assertThat(chinese.stringPropertyNames()).isEqualTo(english.stringPropertyNames());
        for (Properties bundle : new Properties[] {english, chinese}) {
            bundle.forEach((key, text) -> assertThat(text.toString().trim()).as(key.toString()).isNotEmpty());
        }
    }

    @Test
    void everyKeyTheUiAsksForHasAText() throws IOException {
        Set<String> used = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher keys = KEY_IN_CODE.matcher(Files.readString(source));
                while (keys.find()) {
                    used.add(keys.group(1));
                }
            }
        }
        assertThat(used).isNotEmpty();
        Set<String> known = load("i18n/messages.properties").stringPropertyNames();
        assertThat(known).containsAll(used);
    }

    @Test
    void everyRoleAndEveryPasswordRuleHasAText() {
        Set<String> known = load("i18n/messages.properties").stringPropertyNames();
        for (PondRole role : PondRole.values()) {
            assertThat(known).contains("role." + role.name());
        }
        for (PasswordPolicyRule rule : new DefaultPasswordPolicyImpl().getRules()) {
            assertThat(known).contains("password.rule." + rule.getPlaceholder());
        }
        Map<String, Class<? extends Enum<?>>> families = Map.ofEntries(
                Map.entry("stage.", io.pond.engine.customer.LifecycleStage.class),
                Map.entry("channel.", io.pond.engine.customer.ConsentChannel.class),
                Map.entry("tag.source.", io.pond.engine.customer.TagSource.class),
                Map.entry("attribute.type.", io.pond.engine.customer.AttributeType.class),
                Map.entry("import.mode.", io.pond.engine.importing.ImportMode.class),
                Map.entry("import.progress.", io.pond.engine.importing.ImportJob.Status.class),
                Map.entry("rules.action.", io.pond.engine.event.AutoTagRules.Action.class),
                Map.entry("rules.operator.", io.pond.engine.event.PropertyCondition.Operator.class),
                Map.entry("segment.operator.", io.pond.engine.segment.SegmentCondition.Operator.class),
                Map.entry("segment.field.", io.pond.engine.segment.SegmentCondition.ProfileField.class),
                Map.entry("segment.count.", io.pond.engine.segment.SegmentCondition.DidEvent.Count.class));
        families.forEach((prefix, type) -> {
            for (Enum<?> constant : type.getEnumConstants()) {
                assertThat(known).as("text of " + type.getSimpleName()).contains(prefix + constant.name());
            }
        });
        for (String state : List.of("ACTIVE", "SUSPENDED", "COMPLETED", "EXTERNALLY_TERMINATED", "INTERNALLY_TERMINATED")) {
            assertThat(known).contains("journey.state." + state);
        }
    }

    @Test
    void chineseBrowsersGetChineseAndEveryOtherLanguageGetsEnglish() {
        assertThat(provider.getTranslation("nav.journeys", Locale.SIMPLIFIED_CHINESE)).isEqualTo("旅程");
        assertThat(provider.getTranslation("nav.journeys", Locale.CHINESE)).isEqualTo("旅程");
        assertThat(provider.getTranslation("nav.journeys", Locale.US)).isEqualTo("Journeys");
        assertThat(provider.getTranslation("nav.journeys", Locale.GERMAN)).isEqualTo("Journeys");
        assertThat(provider.getTranslation("home.welcome", Locale.SIMPLIFIED_CHINESE, "小李")).isEqualTo("欢迎，小李");
    }

    @Test
    void aMissingKeyIsVisibleRatherThanBlank() {
        assertThat(provider.getTranslation("no.such.key", Locale.ENGLISH)).isEqualTo("!no.such.key!");
    }

    private static Properties load(String resource) {
        Properties properties = new Properties();
        try (InputStream in = MessagesTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
