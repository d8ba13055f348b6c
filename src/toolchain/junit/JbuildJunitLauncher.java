/*
 * jbuild's JUnit launcher: runs a project's test classes through the JUnit
 * Platform Launcher API in a fresh JVM and reports every test event as one
 * machine-readable line, so jbuild never parses the console tree.
 *
 * Protocol "jbuild-junit 1", UTF-8. Text fields in the request are one line
 * each, with '\' written as "\\", newline as "\n" and CR as "\r".
 *
 *   jbuild -> launcher, on stdin, then end of input:
 *     "jbuild-junit 1\n"
 *     "nonce <hex>\n"               prefix of every event line (see below)
 *     "timeout <seconds>\n"         JUnit's per-test timeout, in a separate thread
 *     "capture <bytes>\n"           output kept per test and stream
 *     "select <class>\n"...         test classes to run (binary names)
 *     "method <class> <glob>\n"...  only methods matching one of these globs
 *                                   (`*`, `?`) in a selected class
 *     "exclude <unique id>\n"...    skip these tests (and everything below them)
 *
 *   launcher -> jbuild, on the real stdout, one JSON object per line, each
 *   line starting with "@@<nonce> " (anything else on stdout is not ours):
 *     {"e":"node", "id", "parent", "test", "class", "method", "params",
 *      "display", "legacy", "points", "order"}   every test and container of
 *                                                the plan, then dynamic ones
 *     {"e":"started", "id"}
 *     {"e":"skipped", "id", "reason"}
 *     {"e":"finished", "id", "status": "passed"|"failed"|"aborted",
 *      "exception", "assertion", "message", "trace",   what it threw, if anything
 *      "ms", "out", "err", "out_bytes", "err_bytes"}    time, output (tests only)
 *     {"e":"crashed", "exception", "assertion", "message", "trace"}
 *                                                the run itself failed
 *     {"e":"done"}
 *
 * A test's System.out and System.err are captured globally (not per
 * thread), so what a test prints from JUnit's timeout thread is kept too;
 * tests run one at a time, so the capture belongs to the running test.
 * After the last event the JVM halts: a test abandoned after its timeout may
 * still be spinning, and shutdown hooks are not the launcher's to wait for.
 */

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

public final class JbuildJunitLauncher implements TestExecutionListener, PostDiscoveryFilter {
    private static final String PROTOCOL = "jbuild-junit 1";
    /** Longest stack trace sent for one failure. */
    private static final int MAX_TRACE = 32 * 1024;

    private final OutputStream events = new FileOutputStream(FileDescriptor.out);
    private String prefix = "@@ ";
    private final Capture out;
    private final Capture err;
    private final Map<String, List<Pattern>> methods = new HashMap<>();
    private final Set<String> excluded = new HashSet<>();
    private final Map<String, Long> startedAt = new HashMap<>();
    private final Map<String, Integer> order = new HashMap<>();
    private TestPlan plan;

    private JbuildJunitLauncher(int capture) {
        out = new Capture(capture);
        err = new Capture(capture);
    }

    public static void main(String[] args) {
        int status = 0;
        try {
            run();
        } catch (Throwable t) {
            // Nothing is left to report to: say why on the real stderr.
            new PrintStream(new FileOutputStream(FileDescriptor.err), true).println("jbuild-junit: " + t);
            status = 2;
        }
        Runtime.getRuntime().halt(status);
    }

    private static void run() throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (!PROTOCOL.equals(in.readLine())) {
            throw new IllegalStateException("expected the request to start with " + PROTOCOL);
        }
        String nonce = null;
        String timeout = null;
        int capture = 64 * 1024;
        List<DiscoverySelector> selectors = new ArrayList<>();
        Map<String, List<Pattern>> methods = new HashMap<>();
        Set<String> excluded = new HashSet<>();
        for (String line; (line = in.readLine()) != null; ) {
            int space = line.indexOf(' ');
            String key = space < 0 ? line : line.substring(0, space);
            String value = space < 0 ? "" : unescape(line.substring(space + 1));
            if (key.equals("nonce")) {
                nonce = value;
            } else if (key.equals("timeout")) {
                timeout = value;
            } else if (key.equals("capture")) {
                capture = Integer.parseInt(value);
            } else if (key.equals("select")) {
                selectors.add(DiscoverySelectors.selectClass(value));
            } else if (key.equals("method")) {
                int at = value.indexOf(' ');
                methods.computeIfAbsent(value.substring(0, at), k -> new ArrayList<>()).add(glob(value.substring(at + 1)));
            } else if (key.equals("exclude")) {
                excluded.add(value);
            } else {
                throw new IllegalStateException("unknown request line " + key);
            }
        }
        if (nonce == null) {
            throw new IllegalStateException("the request has no nonce");
        }
        // Tests read an empty stdin, never the request.
        System.setIn(new java.io.ByteArrayInputStream(new byte[0]));

        JbuildJunitLauncher launcher = new JbuildJunitLauncher(capture);
        launcher.prefix = "@@" + nonce + " ";
        launcher.methods.putAll(methods);
        launcher.excluded.addAll(excluded);
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectors)
                .filters(launcher)
                // Sequential, so the global capture belongs to one test.
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "false")
                // JUnit's own capture is per thread and would lose what a
                // test prints in its timeout thread: ours is global.
                .configurationParameter("junit.platform.output.capture.stdout", "false")
                .configurationParameter("junit.platform.output.capture.stderr", "false");
        if (timeout != null) {
            request.configurationParameter("junit.jupiter.execution.timeout.default", timeout + "s")
                    .configurationParameter("junit.jupiter.execution.timeout.mode", "enabled")
                    // A separate thread, so a busy loop is abandoned too.
                    .configurationParameter("junit.jupiter.execution.timeout.thread.mode.default", "SEPARATE_THREAD");
        }
        LauncherDiscoveryRequest built = request.build();
        System.setOut(new PrintStream(launcher.out, true, "UTF-8"));
        System.setErr(new PrintStream(launcher.err, true, "UTF-8"));
        try {
            LauncherFactory.create().execute(built, launcher);
        } catch (Throwable t) {
            launcher.emit("{\"e\":\"crashed\"" + exception(t) + "}");
        }
        launcher.emit("{\"e\":\"done\"}");
    }

    // ---- PostDiscoveryFilter: `method` and `exclude` lines ----

    @Override
    public FilterResult apply(TestDescriptor descriptor) {
        for (Optional<TestDescriptor> d = Optional.of(descriptor); d.isPresent(); d = d.get().getParent()) {
            if (excluded.contains(d.get().getUniqueId().toString())) {
                return FilterResult.excluded("already reported");
            }
        }
        Optional<TestSource> source = descriptor.getSource();
        if (source.isPresent() && source.get() instanceof MethodSource) {
            MethodSource method = (MethodSource) source.get();
            List<Pattern> wanted = methods.get(method.getClassName());
            if (wanted != null && wanted.stream().noneMatch(p -> p.matcher(method.getMethodName()).matches())) {
                return FilterResult.excluded("not selected");
            }
        }
        return FilterResult.included("selected");
    }

    // ---- TestExecutionListener ----

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
        for (TestIdentifier root : testPlan.getRoots()) {
            describeTree(root);
        }
    }

    private void describeTree(TestIdentifier node) {
        describe(node);
        for (TestIdentifier child : plan.getChildren(node)) {
            describeTree(child);
        }
    }

    @Override
    public void dynamicTestRegistered(TestIdentifier id) {
        describe(id);
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        startedAt.put(id.getUniqueId(), System.nanoTime());
        if (id.isTest()) {
            out.reset();
            err.reset();
        }
        emit("{\"e\":\"started\",\"id\":" + q(id.getUniqueId()) + "}");
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        emit("{\"e\":\"skipped\",\"id\":" + q(id.getUniqueId()) + ",\"reason\":" + q(reason) + "}");
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        Long started = startedAt.get(id.getUniqueId());
        long ms = started == null ? 0 : (System.nanoTime() - started) / 1_000_000;
        String status = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? "passed"
                : result.getStatus() == TestExecutionResult.Status.ABORTED ? "aborted" : "failed";
        StringBuilder line = new StringBuilder("{\"e\":\"finished\",\"id\":").append(q(id.getUniqueId()))
                .append(",\"status\":").append(q(status))
                .append(result.getThrowable().map(JbuildJunitLauncher::exception).orElse(""))
                .append(",\"ms\":").append(ms);
        if (id.isTest()) {
            line.append(",\"out\":").append(q(out.text())).append(",\"out_bytes\":").append(out.total())
                    .append(",\"err\":").append(q(err.text())).append(",\"err_bytes\":").append(err.total());
            out.reset();
            err.reset();
        }
        emit(line.append('}').toString());
    }

    // ---- events ----

    private void describe(TestIdentifier id) {
        String cls = null;
        String method = null;
        String params = null;
        String points = null;
        Optional<TestSource> source = id.getSource();
        if (source.isPresent() && source.get() instanceof MethodSource) {
            MethodSource m = (MethodSource) source.get();
            cls = m.getClassName();
            method = m.getMethodName();
            params = m.getMethodParameterTypes();
            points = points(m);
        } else if (source.isPresent() && source.get() instanceof ClassSource) {
            cls = ((ClassSource) source.get()).getClassName();
        }
        Integer index = order.get(id.getUniqueId());
        if (index == null) {
            index = order.size();
            order.put(id.getUniqueId(), index);
        }
        emit("{\"e\":\"node\",\"id\":" + q(id.getUniqueId())
                + ",\"parent\":" + q(id.getParentId().orElse(null))
                + ",\"test\":" + id.isTest()
                + ",\"class\":" + q(cls)
                + ",\"method\":" + q(method)
                + ",\"params\":" + q(params)
                + ",\"display\":" + q(id.getDisplayName())
                + ",\"legacy\":" + q(id.getLegacyReportingName())
                + ",\"points\":" + q(points)
                + ",\"order\":" + index + "}");
    }

    /**
     * The `points=N` tag of a test method: its own @Tag, else its class's
     * (inherited ones included), else an enclosing class's. The value is
     * checked by jbuild.
     */
    private static String points(MethodSource source) {
        try {
            Method method = source.getJavaMethod();
            String own = points(method.getAnnotationsByType(Tag.class));
            if (own != null) {
                return own;
            }
            for (Class<?> c = source.getJavaClass(); c != null; c = c.getEnclosingClass()) {
                String inherited = points(c.getAnnotationsByType(Tag.class));
                if (inherited != null) {
                    return inherited;
                }
            }
        } catch (Throwable t) {
            // A method JUnit cannot resolve by name (vintage's parameterized
            // runner): no points of its own.
        }
        return null;
    }

    private static String points(Tag[] tags) {
        for (Tag tag : tags) {
            String value = tag.value().trim();
            if (value.startsWith("points=")) {
                return value.substring("points=".length());
            }
        }
        return null;
    }

    private static String exception(Throwable t) {
        StringWriter trace = new StringWriter();
        try {
            t.printStackTrace(new PrintWriter(trace));
        } catch (Throwable ignored) {
            // A toString that throws: the class name is still worth sending.
        }
        String text = trace.toString();
        if (text.length() > MAX_TRACE) {
            text = text.substring(0, MAX_TRACE) + "\n\t... (trace cut)";
        }
        String message;
        try {
            message = t.getMessage();
        } catch (Throwable broken) {
            message = null;
        }
        return ",\"exception\":" + q(t.getClass().getName()) + ",\"assertion\":" + (t instanceof AssertionError)
                + ",\"message\":" + q(message) + ",\"trace\":" + q(text);
    }

    /** One event line, written in one call on the real stdout. */
    private synchronized void emit(String json) {
        try {
            events.write((prefix + json + "\n").getBytes(StandardCharsets.UTF_8));
            events.flush();
        } catch (java.io.IOException e) {
            // jbuild stopped listening: the JVM is about to be killed.
        }
    }

    // ---- helpers ----

    /** A glob (`*`, `?`) as a whole-name pattern. */
    private static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    /** A JSON string, or null. */
    private static String q(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (c < 0x20 || Character.isSurrogate(c)) {
                        // Lone surrogates would not survive UTF-8; pairs are
                        // kept as escapes, which JSON readers join again.
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.append('"').toString();
    }

    private static String unescape(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                sb.append(next == 'n' ? '\n' : next == 'r' ? '\r' : next);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Keeps the first `limit` bytes written, and counts them all. */
    static final class Capture extends OutputStream {
        private final byte[] kept;
        private int size;
        private long total;

        Capture(int limit) {
            kept = new byte[Math.max(0, limit)];
        }

        @Override
        public synchronized void write(int b) {
            if (size < kept.length) {
                kept[size++] = (byte) b;
            }
            total++;
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int room = Math.min(len, kept.length - size);
            if (room > 0) {
                System.arraycopy(b, off, kept, size, room);
                size += room;
            }
            total += len;
        }

        synchronized String text() {
            return new String(kept, 0, size, StandardCharsets.UTF_8);
        }

        synchronized long total() {
            return total;
        }

        synchronized void reset() {
            size = 0;
            total = 0;
        }
    }
}
