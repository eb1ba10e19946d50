package io.pond.engine.script;

import java.io.IOException;
import java.io.Reader;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;

import javax.script.AbstractScriptEngine;
import javax.script.Bindings;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;
import javax.script.ScriptException;
import javax.script.SimpleBindings;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.scripting.engine.ScriptEngineResolver;

/**
 * Makes Pond's {@link ScriptSandbox} the engine's only script language: every Groovy script of a process (gateway
 * conditions, script tasks, listeners, input/output mappings) runs sandboxed, and other languages are not
 * available. Scripts see the instance's variables as plain values and {@code customer}, a read-only map of the
 * journey's customer (profile, tags, attributes); the execution, the engine and Spring beans are out of reach.
 */
public class SandboxedScripting extends AbstractProcessEnginePlugin {

    public static final String LANGUAGE = "groovy";
    private static final Set<Class<?>> PLAIN = Set.of(String.class, Integer.class, Long.class, Double.class, Float.class,
            Short.class, Byte.class, Boolean.class, Character.class, java.math.BigDecimal.class, java.math.BigInteger.class,
            Date.class, java.time.LocalDate.class, java.time.LocalDateTime.class, java.time.Instant.class);

    private final ScriptSandbox sandbox;
    private final LongFunction<Map<String, Object>> customers;

    /** @param customers the read-only view of a customer by id, as scripts see it */
    public SandboxedScripting(ScriptSandbox sandbox, LongFunction<Map<String, Object>> customers) {
        this.sandbox = sandbox;
        this.customers = customers;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        Engine engine = new Engine();
        configuration.setScriptEngineResolver(new ScriptEngineResolver() {
            @Override
            public void addScriptEngineFactory(ScriptEngineFactory factory) {
                // only the sandbox runs scripts
            }

            @Override
            public javax.script.ScriptEngineManager getScriptEngineManager() {
                return new javax.script.ScriptEngineManager(SandboxedScripting.class.getClassLoader());
            }

            @Override
            public ScriptEngine getScriptEngine(String language, boolean resolveFromCache) {
                return LANGUAGE.equalsIgnoreCase(language) ? engine : null;
            }
        });
        configuration.setEnableScriptCompilation(false);
    }

    /**
     * Runs a condition for one customer as a journey would, with the journey's values given (the designer's
     * "test against customer"); a refused, stopped or failing script throws its {@link ScriptProblem}.
     */
    public Object test(String source, long customerId, Map<String, Object> values) {
        javax.script.SimpleBindings bindings = new javax.script.SimpleBindings(new java.util.HashMap<>(values));
        bindings.put("customerId", customerId);
        return sandbox.evaluate(source, name -> variable(bindings, name));
    }

    /** What a script sees for a name: a plain value, the customer, or nothing. */
    Object variable(Bindings bindings, String name) {
        if ("customer".equals(name) && !bindings.containsKey("customer")) {
            Object customerId = bindings.containsKey("customerId") ? bindings.get("customerId") : null;
            return customerId == null ? ScriptSandbox.NO_SUCH_VARIABLE : customers.apply(Long.parseLong(customerId.toString()));
        }
        if (!bindings.containsKey(name)) {
            return ScriptSandbox.NO_SUCH_VARIABLE;
        }
        Object value = bindings.get(name);
        if (value == null || plain(value)) {
            return value;
        }
        throw new ScriptProblem(ScriptProblem.Kind.REFUSED, -1, "'" + name + "' is not available to scripts: they see the"
                + " journey's values and the customer / 脚本不能访问 '" + name + "'", null);
    }

    private static boolean plain(Object value) {
        if (PLAIN.contains(value.getClass())) {
            return true;
        }
        if (value instanceof List<?> list) {
            return list.stream().allMatch(item -> item == null || plain(item));
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().allMatch(e -> e.getKey() instanceof String
                    && (e.getValue() == null || plain(e.getValue())));
        }
        return false;
    }

    private final class Engine extends AbstractScriptEngine {

        @Override
        public Object eval(String script, ScriptContext context) throws ScriptException {
            Bindings bindings = context.getBindings(ScriptContext.ENGINE_SCOPE);
            try {
                return sandbox.evaluate(script, name -> variable(bindings, name));
            } catch (ScriptProblem problem) {
                ScriptException exception = new ScriptException(problem);
                throw exception;
            }
        }

        @Override
        public Object eval(Reader reader, ScriptContext context) throws ScriptException {
            java.io.StringWriter text = new java.io.StringWriter();
            try {
                reader.transferTo(text);
            } catch (IOException e) {
                throw new ScriptException(e);
            }
            return eval(text.toString(), context);
        }

        @Override
        public Bindings createBindings() {
            return new SimpleBindings();
        }

        @Override
        public ScriptEngineFactory getFactory() {
            return FACTORY;
        }
    }

    /** Describes the sandbox to the engine (which asks for the language name); it never makes engines itself. */
    private static final ScriptEngineFactory FACTORY = new ScriptEngineFactory() {
        @Override
        public String getEngineName() {
            return "Pond sandboxed Groovy";
        }

        @Override
        public String getEngineVersion() {
            return groovy.lang.GroovySystem.getVersion();
        }

        @Override
        public List<String> getExtensions() {
            return List.of("groovy");
        }

        @Override
        public List<String> getMimeTypes() {
            return List.of();
        }

        @Override
        public List<String> getNames() {
            return List.of(LANGUAGE);
        }

        @Override
        public String getLanguageName() {
            return LANGUAGE;
        }

        @Override
        public String getLanguageVersion() {
            return groovy.lang.GroovySystem.getVersion();
        }

        @Override
        public Object getParameter(String key) {
            return ScriptEngine.NAME.equals(key) || ScriptEngine.LANGUAGE.equals(key) ? LANGUAGE : null;
        }

        @Override
        public String getMethodCallSyntax(String object, String method, String... arguments) {
            return object + "." + method + "(" + String.join(", ", arguments) + ")";
        }

        @Override
        public String getOutputStatement(String text) {
            return "";
        }

        @Override
        public String getProgram(String... statements) {
            return String.join("\n", statements);
        }

        @Override
        public ScriptEngine getScriptEngine() {
            throw new UnsupportedOperationException("Pond's sandbox is the engine's only script engine");
        }
    };
}
