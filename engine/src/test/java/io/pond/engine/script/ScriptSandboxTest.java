package io.pond.engine.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScriptSandboxTest {

    private final ScriptSandbox sandbox = new ScriptSandbox(ScriptSandbox.Limits.defaults());
    private final Map<String, Object> variables = Map.of("amount", 120, "customer",
            Map.of("points", 600, "tier", "gold", "tags", java.util.List.of("new customer")));

    private Object run(String script) {
        return sandbox.evaluate(script, name -> variables.containsKey(name) ? variables.get(name) : ScriptSandbox.NO_SUCH_VARIABLE);
    }

    private ScriptProblem problem(String script) {
        ScriptProblem problem = catchThrowableOfType(ScriptProblem.class, () -> run(script));
        assertThat(problem).as("'%s' is refused or stopped", script).isNotNull();
        return problem;
    }

    @Test
    void aConditionReadsVariablesAndTheCustomer() {
        assertThat(run("amount > 100 && customer.points >= 500 && 'new customer' in customer.tags")).isEqualTo(true);
        assertThat(run("def total = 0\nfor (i in 1..10) { total += i }\ntotal * 2 + Math.max(1, 2)")).isEqualTo(112);
        assertThat(run("customer.tier == 'gold' ? 'A' : 'B'")).isEqualTo("A");
        assertThat(run("[3, 1, 2].sort().join(',')")).isEqualTo("1,2,3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"System.exit(1)", "java.lang.System.exit(1)", "Runtime.getRuntime().halt(1)",
            "System.getenv('POND_SECRET_KEY')"})
    void exitingTheProcessOrReadingItsEnvironmentIsRefused(String script) {
        ScriptProblem problem = problem(script);
        assertThat(problem.kind()).isEqualTo(ScriptProblem.Kind.REFUSED);
        assertThat(problem.getMessage()).contains("not allowed");
    }

    @Test
    void readingAFileIsRefusedAndTheFileStaysUnread(@TempDir Path folder) throws Exception {
        Path secret = Files.writeString(folder.resolve("secret.txt"), "s3cret");
        for (String script : new String[] {"new File('" + secret + "').text", "('" + secret + "' as File).text",
                "java.nio.file.Files.readString(java.nio.file.Path.of('" + secret + "'))",
                "new java.io.FileInputStream('" + secret + "').read()", "'" + secret + "'.toURL().text"}) {
            ScriptProblem problem = problem(script);
            assertThat(problem.kind()).as(script).isEqualTo(ScriptProblem.Kind.REFUSED);
            assertThat(problem.getMessage()).doesNotContain("s3cret");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"new Socket('localhost', 5432)", "new java.net.Socket('localhost', 5432)",
            "new URL('http://localhost:8080/').text", "'http://localhost:8080/'.toURL().getText()",
            "'ls /'.execute().text", "['sh', '-c', 'id'].execute()", "new ProcessBuilder('id').start()"})
    void theNetworkAndProcessesAreRefused(String script) {
        assertThat(problem(script).kind()).isEqualTo(ScriptProblem.Kind.REFUSED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"new Thread({ -> }).start()", "Thread.start { }", "java.util.concurrent.Executors.newSingleThreadExecutor()",
            "sleep(10000)"})
    void threadsAreRefused(String script) {
        assertThat(problem(script).kind()).isEqualTo(ScriptProblem.Kind.REFUSED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"'x'.getClass().forName('java.lang.Runtime')", "'x'.class.classLoader", "'x'['class']",
            "Class.forName('java.lang.Runtime')", "this.class.classLoader.loadClass('java.lang.Runtime')",
            "def name = 'getClass'; 'x'.\"$name\"()", "'x'.metaClass.invokeMethod('x', 'toString', null)",
            "evaluate('System.exit(1)')", "new GroovyShell().evaluate('1')", "Eval.me('1')", "this.binding.variables",
            "String.getDeclaredMethods()", "def m = 'x'.&toString; m()", "io.pond.engine.script.ScriptBudget.end()",
            "import java.lang.reflect.Method\n1", "class Evil { }\n1", "def f() { 1 }\nf()"})
    void reflectionAndClassLoadingTricksAreRefused(String script) {
        assertThat(problem(script).kind()).isEqualTo(ScriptProblem.Kind.REFUSED);
    }

    @Test
    void anEndlessLoopIsStoppedWithinItsBudget() {
        for (String script : new String[] {"while (true) { }", "for (;;) { }", "def i = 0\nwhile (true) { i++ }",
                "def f\nf = { -> f() }\nf()"}) {
            long started = System.nanoTime();
            ScriptProblem problem = problem(script);
            assertThat(problem.kind()).as(script).isEqualTo(ScriptProblem.Kind.STOPPED);
            assertThat(problem.getMessage()).as(script).contains("The script was stopped");
            assertThat(System.nanoTime() - started).as("stopped well before a job's lock would run out")
                    .isLessThan(30_000_000_000L);
        }
        assertThat(problem("while (true) { }").getMessage()).containsAnyOf("ms of CPU time", "loop steps");
    }

    @Test
    void aStoppedScriptCannotCatchItsWayOut() {
        ScriptProblem problem = problem("try { while (true) { } } catch (Throwable t) { }\n'escaped'");
        assertThat(problem.kind()).isEqualTo(ScriptProblem.Kind.REFUSED);
    }

    @Test
    void mistakesNameTheirLine() {
        ScriptProblem unknown = problem("amount > 1 &&\n  discount > 5");
        assertThat(unknown.kind()).isEqualTo(ScriptProblem.Kind.FAILED);
        assertThat(unknown.getMessage()).contains("'discount'").contains("Line 2");
        ScriptProblem syntax = problem("amount >\n\n(");
        assertThat(syntax.kind()).isEqualTo(ScriptProblem.Kind.REFUSED);
        assertThat(syntax.line()).isGreaterThan(0);
        ScriptProblem forbidden = problem("amount > 1 &&\n  System.exit(1)");
        assertThat(forbidden.line()).isEqualTo(2);
        assertThat(forbidden.getMessage()).startsWith("Line 2: 'exit' is not allowed");
        ScriptProblem failing = problem("def x = null\nx.length()");
        assertThat(failing.kind()).isEqualTo(ScriptProblem.Kind.FAILED);
        assertThat(failing.getMessage()).contains("Line 2").contains("NullPointerException");
    }
}
