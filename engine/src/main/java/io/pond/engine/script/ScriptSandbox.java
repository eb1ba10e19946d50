package io.pond.engine.script;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import groovy.lang.Binding;
import groovy.lang.GroovyClassLoader;
import groovy.lang.MissingPropertyException;
import groovy.lang.Script;
import groovy.transform.ConditionalInterrupt;
import org.codehaus.groovy.ast.ClassHelper;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.expr.CastExpression;
import org.codehaus.groovy.ast.expr.ClassExpression;
import org.codehaus.groovy.ast.expr.ConstructorCallExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.ast.Parameter;
import org.codehaus.groovy.ast.VariableScope;
import org.codehaus.groovy.ast.expr.ArgumentListExpression;
import org.codehaus.groovy.ast.expr.AttributeExpression;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.MethodPointerExpression;
import org.codehaus.groovy.ast.expr.PropertyExpression;
import org.codehaus.groovy.ast.expr.StaticMethodCallExpression;
import org.codehaus.groovy.ast.stmt.ExpressionStatement;
import org.codehaus.groovy.ast.stmt.SynchronizedStatement;
import org.codehaus.groovy.ast.stmt.TryCatchStatement;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.customizers.ASTTransformationCustomizer;
import org.codehaus.groovy.control.customizers.SecureASTCustomizer;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.syntax.Types;

/**
 * Runs the small Groovy scripts of journeys (gateway conditions, computed values) in a sandbox. Before a script
 * runs it is checked: it may name only an allow-list of value classes (strings, numbers, dates, collections,
 * Math), define no classes or methods, import nothing, catch nothing, and call no method that reaches the
 * runtime, reflection, class loading, threads, processes, files or the network. While it runs it has a CPU-time
 * budget (default 200 ms) and a loop guard. It sees the journey's variables as plain values and the customer as a
 * read-only map; never the engine, the execution or Spring beans. This is the second line: only developers and
 * admins may write scripts at all.
 */
public class ScriptSandbox {

    /** Classes a script may name (in a cast, a constructor call, a static call or a class literal). */
    static final List<String> ALLOWED_CLASSES = List.of("java.lang.Object", "java.lang.String", "java.lang.Integer",
            "java.lang.Long", "java.lang.Double", "java.lang.Float", "java.lang.Short", "java.lang.Byte", "java.lang.Boolean",
            "java.lang.Character", "java.lang.Number", "java.lang.CharSequence", "java.lang.Math", "java.math.BigDecimal",
            "java.math.BigInteger", "java.math.RoundingMode", "java.util.List", "java.util.Map", "java.util.Set",
            "java.util.Collection", "java.util.ArrayList", "java.util.LinkedHashMap", "java.util.HashMap",
            "java.util.LinkedHashSet", "java.util.HashSet", "java.util.Date", "java.time.LocalDate", "java.time.LocalDateTime",
            "java.time.LocalTime", "java.time.Duration", "java.time.Period", "java.time.Instant", "java.time.ZonedDateTime",
            "java.time.ZoneId", "java.time.DayOfWeek", "java.time.temporal.ChronoUnit", "groovy.lang.GString",
            "groovy.lang.Range", "groovy.lang.IntRange", "groovy.lang.Closure", "java.lang.Iterable");

    /** Methods and properties no script may use, whatever it calls them on. */
    static final Set<String> FORBIDDEN_NAMES = Set.of("getClass", "class", "forName", "getMetaClass", "metaClass",
            "setMetaClass", "invokeMethod", "getProperty", "setProperty", "getBinding", "setBinding", "binding", "evaluate",
            "run", "execute", "exit", "halt", "getRuntime", "runtime", "newInstance", "getClassLoader", "classLoader",
            "getDeclaredMethod", "getDeclaredMethods", "declaredMethods", "getMethod", "getMethods", "methods",
            "getDeclaredField", "getDeclaredFields", "declaredFields", "getField", "getFields", "fields",
            "getDeclaredConstructor", "getDeclaredConstructors", "declaredConstructors", "getConstructor",
            "getConstructors", "constructors", "loadClass", "parseClass", "defineClass", "invoke", "sleep", "wait",
            "notify", "notifyAll", "setAccessible", "accessible", "delegate", "owner",
            "thisObject", "rehydrate", "dehydrate", "setDelegate", "setResolveStrategy", "print", "println", "printf",
            "sprintf", "getAt", "putAt", "asType", "withTraits", "mixin", "use", "properties", "getProperties",
            "setProperties", "toURL", "toURI", "protectionDomain", "getProtectionDomain", "exceeded");

    public record Limits(long cpuMillis, long loopSteps) {
        public static Limits defaults() {
            return new Limits(200, 1_000_000);
        }
    }

    private final Limits limits;
    private final Map<String, Class<? extends Script>> compiled = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Class<? extends Script>> eldest) {
                    return size() > 500;
                }
            });

    public ScriptSandbox(Limits limits) {
        this.limits = limits;
    }

    /** Checks and compiles a script without running it: what the designer's validation calls. */
    public void check(String source) {
        compile(source);
    }

    /** What {@code variables} answers for a name that is not a variable. */
    public static final Object NO_SUCH_VARIABLE = new Object();

    /**
     * Runs the script. {@code variables} answers the names the script reads ({@link #NO_SUCH_VARIABLE} when there is
     * no such variable); the answer must be a plain value.
     *
     * @throws ScriptProblem when the script is refused, stopped or fails
     */
    public Object evaluate(String source, Function<String, Object> variables) {
        Class<? extends Script> type = compile(source);
        Script script;
        try {
            script = type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        script.setBinding(new ReadOnlyBinding(variables));
        ScriptBudget budget = ScriptBudget.start(limits.cpuMillis() * 1_000_000, limits.loopSteps());
        try {
            return script.run();
        } catch (StoppedException e) {
            throw new ScriptProblem(ScriptProblem.Kind.STOPPED, line(e), "The script was stopped: " + budget.spent()
                    + " / 脚本已被终止", null);
        } catch (ScriptProblem e) {
            throw e;
        } catch (MissingPropertyException e) {
            throw new ScriptProblem(ScriptProblem.Kind.FAILED, line(e), at(line(e)) + "there is no variable '" + e.getProperty()
                    + "' / 变量 '" + e.getProperty() + "' 不存在", e);
        } catch (StackOverflowError e) {
            throw new ScriptProblem(ScriptProblem.Kind.STOPPED, line(e), "The script was stopped: it called itself too deeply"
                    + " / 脚本已被终止：递归过深", null);
        } catch (Exception e) {
            if (budget.spent() != null) {
                throw new ScriptProblem(ScriptProblem.Kind.STOPPED, line(e), "The script was stopped: " + budget.spent()
                        + " / 脚本已被终止", null);
            }
            throw new ScriptProblem(ScriptProblem.Kind.FAILED, line(e), at(line(e)) + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + " / 脚本运行出错", e);
        } finally {
            ScriptBudget.end();
        }
    }

    private Class<? extends Script> compile(String source) {
        if (source == null || source.isBlank()) {
            throw new ScriptProblem(ScriptProblem.Kind.REFUSED, -1, "The script is empty / 脚本为空", null);
        }
        Class<? extends Script> type = compiled.get(source);
        if (type != null) {
            return type;
        }
        try (GroovyClassLoader loader = new GroovyClassLoader(ScriptSandbox.class.getClassLoader(),
                compilerConfiguration())) {
            @SuppressWarnings("unchecked")
            Class<? extends Script> parsed = (Class<? extends Script>) loader.parseClass(source, "PondScript.groovy");
            compiled.put(source, parsed);
            return parsed;
        } catch (MultipleCompilationErrorsException e) {
            throw refused(e);
        } catch (CompilationFailedException | SecurityException e) {
            throw new ScriptProblem(ScriptProblem.Kind.REFUSED, -1, "The script cannot run: " + e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ScriptProblem refused(MultipleCompilationErrorsException e) {
        Message first = e.getErrorCollector().getErrors().isEmpty() ? null : e.getErrorCollector().getErrors().get(0);
        if (first instanceof SyntaxErrorMessage syntax) {
            int line = syntax.getCause().getLine();
            String text = syntax.getCause().getOriginalMessage();
            for (Throwable cause = syntax.getCause().getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof Refusal refusal) {
                    text = refusal.getMessage();
                    line = refusal.line > 0 ? refusal.line : line;
                } else if (cause instanceof SecurityException && cause.getMessage() != null) {
                    text = cause.getMessage();
                }
            }
            boolean forbidden = syntax.getCause().getCause() instanceof SecurityException || text.contains("not allowed");
            return new ScriptProblem(ScriptProblem.Kind.REFUSED, line, at(line) + text
                    + (forbidden ? " / 脚本使用了不允许的功能" : " / 脚本有语法错误"), e);
        }
        if (first instanceof org.codehaus.groovy.control.messages.ExceptionMessage exception) {
            Exception cause = exception.getCause();
            int line = cause instanceof Refusal refusal ? refusal.line : -1;
            String text = cause.getMessage() == null ? cause.toString() : cause.getMessage();
            return new ScriptProblem(ScriptProblem.Kind.REFUSED, line, at(line) + text + " / 脚本使用了不允许的功能", e);
        }
        return new ScriptProblem(ScriptProblem.Kind.REFUSED, -1, "The script cannot run: " + e.getMessage(), e);
    }

    private static String at(int line) {
        return line > 0 ? "Line " + line + ": " : "";
    }

    /** The line of the script an exception was thrown from, from its stack trace. */
    private static int line(Throwable e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            if ("PondScript.groovy".equals(frame.getFileName()) && frame.getLineNumber() > 0) {
                return frame.getLineNumber();
            }
        }
        return -1;
    }

    private static CompilerConfiguration compilerConfiguration() {
        SecureASTCustomizer secure = new SecureASTCustomizer();
        secure.setMethodDefinitionAllowed(false);
        secure.setPackageAllowed(false);
        // class references are checked by allowed(), which can tell the budget's own calls from the script's
        secure.setIndirectImportCheckEnabled(false);
        secure.setAllowedImports(ALLOWED_CLASSES);
        secure.setAllowedStarImports(List.of());
        secure.setAllowedStaticImports(List.of());
        secure.setAllowedStaticStarImports(List.of());
        secure.setDisallowedStatements(List.of(TryCatchStatement.class, SynchronizedStatement.class));
        secure.setDisallowedExpressions(List.of(MethodPointerExpression.class, AttributeExpression.class));
        secure.setDisallowedTokens(List.of(Types.KEYWORD_SUPER));
        secure.addExpressionCheckers(ScriptSandbox::allowed);

        ClosureExpression check = new ClosureExpression(Parameter.EMPTY_ARRAY, new ExpressionStatement(
                new StaticMethodCallExpression(ClassHelper.make(ScriptBudget.class), "exceeded",
                        ArgumentListExpression.EMPTY_ARGUMENTS)));
        check.setVariableScope(new VariableScope());
        ASTTransformationCustomizer budget = new ASTTransformationCustomizer(
                Map.of("value", check, "thrown", StoppedException.class), ConditionalInterrupt.class);

        CompilerConfiguration configuration = new CompilerConfiguration();
        // the checks see the script as written; the budget's calls are added after them
        configuration.addCompilationCustomizers(secure, budget);
        return configuration;
    }

    /** Forbidden names, and names computed at run time (which could be anything), are refused. */
    private static boolean allowed(Expression expression) {
        checkClass(expression);
        String name = null;
        Expression nameExpression = null;
        if (expression instanceof MethodCallExpression call) {
            nameExpression = call.getMethod();
        } else if (expression instanceof StaticMethodCallExpression call) {
            name = call.getMethod();
        } else if (expression instanceof PropertyExpression property) {
            nameExpression = property.getProperty();
        } else if (expression instanceof BinaryExpression binary && binary.getOperation().getType() == Types.LEFT_SQUARE_BRACKET
                && binary.getRightExpression() instanceof ConstantExpression key && key.getValue() instanceof String text) {
            name = text;
        }
        if (nameExpression != null) {
            if (!(nameExpression instanceof ConstantExpression constant) || !(constant.getValue() instanceof String text)) {
                throw new Refusal(expression, "a method or property name computed while the script runs is not allowed ("
                        + expression.getText() + ")");
            }
            name = text;
        }
        if (name != null && FORBIDDEN_NAMES.contains(name)) {
            throw new Refusal(expression, "'" + name + "' is not allowed in scripts (" + expression.getText() + ")");
        }
        return true;
    }

    private static void checkClass(Expression expression) {
        ClassNode type = null;
        if (expression instanceof ClassExpression || expression instanceof ConstructorCallExpression
                || expression instanceof CastExpression) {
            type = expression.getType();
            if (expression instanceof ConstructorCallExpression && type.getName().equals(StoppedException.class.getName())) {
                return;
            }
        } else if (expression instanceof StaticMethodCallExpression call) {
            type = call.getOwnerType();
            if (type.getName().equals(ScriptBudget.class.getName()) && call.getMethod().equals("exceeded")) {
                return;
            }
        } else if (expression instanceof VariableExpression variable) {
            type = variable.getOriginType();
        }
        while (type != null && type.isArray()) {
            type = type.getComponentType();
        }
        if (type != null && !ALLOWED_CLASSES.contains(type.getName()) && !type.getName().equals("PondScript")) {
            throw new Refusal(expression, "the class " + type.getName() + " is not allowed in scripts (they may use strings,"
                    + " numbers, dates, collections and Math)");
        }
    }

    /** What the checks say of a script's expression, with its line. */
    private static final class Refusal extends SecurityException {
        final int line;

        Refusal(Expression expression, String message) {
            super(message);
            this.line = expression.getLineNumber();
        }
    }

    /** Thrown into a script that used up its budget. */
    public static class StoppedException extends RuntimeException {
        public StoppedException(String message) {
            super(message, null, false, false);
        }
    }

    /** Variables by name from the journey; assignments stay inside the script. */
    private static final class ReadOnlyBinding extends Binding {
        private final Function<String, Object> variables;

        ReadOnlyBinding(Function<String, Object> variables) {
            this.variables = variables;
        }

        @Override
        public Object getVariable(String name) {
            if (getVariables().containsKey(name)) {
                return super.getVariable(name);
            }
            Object value = variables.apply(name);
            if (value == NO_SUCH_VARIABLE) {
                throw new MissingPropertyException(name, Script.class);
            }
            return value;
        }

        @Override
        public Object getProperty(String property) {
            return getVariable(property);
        }
    }
}
