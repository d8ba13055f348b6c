/*
 * jbuild's warm case runner (`jbuild check --reuse-jvm`): runs one case after
 * another in this JVM, each case's main class in a fresh class loader, so
 * only the first case pays for JVM start-up.
 *
 * Protocol "jbuild-runner 2", UTF-8, over stdin/stdout. Text fields are one
 * line each, with '\' written as "\\", newline as "\n" and CR as "\r".
 *
 *   runner -> jbuild, once:  "jbuild-runner 2\n"
 *   jbuild -> runner:        "run <count>\n" then <count> fields: a nonce, stdin file ("" for no
 *                            input), stdout file, stderr file, output limit in bytes, class path
 *                            (path-separator joined), main class, then the program's arguments
 *   runner -> jbuild:        every reply starts with the request's nonce and a space, so a
 *                            program that writes to the real stdout (FileDescriptor.out) cannot
 *                            forge one: jbuild then runs the case again in a fresh JVM.
 *                            "done <exit code> <cpu nanoseconds>\n" when main and every
 *                            non-daemon thread it started have ended; the program's output is
 *                            in the two files;
 *                        or  "oom <cpu nanoseconds>\n": it ran out of memory (the runner exits);
 *                        or  "refused <reason>\n": this runner cannot run it (no public static
 *                            void main(String[]), no such class): run it in a fresh JVM.
 *   A program that calls System.exit ends the runner with its code, as it would end its own
 *   JVM (its output is flushed first); one that prints more than the limit ends it with 77.
 *   jbuild starts another runner for the next case.
 *
 * Each case gets: a new class loader over the class path (static state starts afresh), its
 * own System.in/out/err, a thread named "main" in a thread group of its own, and an empty
 * working folder (what the previous case wrote there is deleted). What a fresh JVM would not
 * share but this one does: system properties, the default locale and time zone, daemon
 * threads a case left running, shutdown hooks (they run when the runner ends).
 */

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

public final class JbuildRunner {
    private static final String PROTOCOL = "jbuild-runner 2";
    private static final int OUTPUT_LIMIT_EXIT = 77;

    /** The streams of the case running now, flushed if it ends the JVM. */
    private static volatile PrintStream caseOut;
    private static volatile PrintStream caseErr;
    private static volatile boolean outOfMemory;

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        Path cwd = Paths.get("").toAbsolutePath();
        Runtime.getRuntime().addShutdownHook(new Thread(JbuildRunner::flushCase));
        send(out, PROTOCOL + "\n");
        for (String line; (line = in.readLine()) != null; ) {
            if (!line.startsWith("run ")) {
                send(out, "refused unknown request\n");
                continue;
            }
            int count = Integer.parseInt(line.substring(4).trim());
            String[] fields = new String[count];
            for (int i = 0; i < count; i++) {
                fields[i] = unescape(in.readLine());
            }
            // Only in this frame's locals, out of the program's reach.
            String nonce = fields[0];
            String reply = runCase(Arrays.copyOfRange(fields, 1, count));
            emptyFolder(cwd);
            send(out, nonce + " " + reply);
            if (outOfMemory) {
                return;
            }
        }
    }

    private static String runCase(String[] f) throws Exception {
        String stdinFile = f[0];
        long limit = Long.parseLong(f[3]);
        List<URL> urls = new ArrayList<>();
        for (String entry : f[4].split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        String className = f[5];
        String[] programArgs = Arrays.copyOfRange(f, 6, f.length);
        URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
        MethodHandle main;
        try {
            Class<?> mainClass = Class.forName(className, false, loader);
            Method method = mainClass.getMethod("main", String[].class);
            if (!Modifier.isStatic(method.getModifiers()) || method.getReturnType() != void.class) {
                return "refused no static main\n";
            }
            // java launches a class that is not public too (`class Main`, as
            // students write it): so does this runner.
            method.setAccessible(true);
            main = MethodHandles.lookup().unreflect(method);
        } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException | LinkageError
                 | RuntimeException e) {
            return "refused " + escape(e.toString()) + "\n";
        }

        Counter counter = new Counter(limit);
        PrintStream stdout = printStream(new FileOutputStream(f[1]), counter, "stdout.encoding");
        PrintStream stderr = printStream(new FileOutputStream(f[2]), counter, "stderr.encoding");
        InputStream stdin = stdinFile.isEmpty() ? new ByteArrayInputStream(new byte[0]) : new FileInputStream(stdinFile);
        System.setIn(stdin);
        System.setOut(stdout);
        System.setErr(stderr);
        caseOut = stdout;
        caseErr = stderr;

        ThreadGroup group = new ThreadGroup("main") {
            @Override
            public void uncaughtException(Thread thread, Throwable e) {
                if (e instanceof OutOfMemoryError) {
                    outOfMemory = true;
                }
                super.uncaughtException(thread, e);
            }
        };
        long cpuBefore = processCpuNanos();
        Throwable[] failure = new Throwable[1];
        Thread mainThread = new Thread(group, () -> {
            try {
                main.invokeExact(programArgs);
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "main");
        mainThread.setContextClassLoader(loader);
        mainThread.start();
        mainThread.join();
        int exit = 0;
        if (failure[0] != null) {
            // As the JVM reports an exception that escapes main, without this runner's frames.
            Throwable e = failure[0];
            if (e instanceof OutOfMemoryError) {
                outOfMemory = true;
            }
            trimRunnerFrames(e);
            System.err.print("Exception in thread \"main\" ");
            e.printStackTrace(System.err);
            exit = 1;
        }
        waitForThreads(group);
        long cpu = Math.max(0, processCpuNanos() - cpuBefore);
        flushCase();
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        System.setErr(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        System.setIn(new ByteArrayInputStream(new byte[0]));
        caseOut = null;
        caseErr = null;
        stdout.close();
        stderr.close();
        stdin.close();
        loader.close();
        return outOfMemory ? "oom " + cpu + "\n" : "done " + exit + " " + cpu + "\n";
    }

    /**
     * The CPU time of this whole JVM so far, in nanoseconds, from Linux's /proc/self/stat
     * (user + system time, in clock ticks of 10 ms), or 0 where it cannot be read. A case's
     * CPU time is the difference across it: like the rusage of a JVM of its own, it counts
     * the JIT and GC threads too. (java.lang.management would count only the main thread
     * and costs 20 ms to load in every runner.)
     */
    private static long processCpuNanos() {
        try {
            String stat = new String(Files.readAllBytes(Paths.get("/proc/self/stat")), StandardCharsets.US_ASCII);
            // The fields after the command name, which is in parentheses and may hold spaces.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
            return ticks * 10_000_000L;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Waits until no live non-daemon thread is left in the case's group. */
    private static void waitForThreads(ThreadGroup group) throws InterruptedException {
        while (true) {
            Thread[] all = new Thread[group.activeCount() * 2 + 16];
            int n = group.enumerate(all, true);
            Thread waitFor = null;
            for (int i = 0; i < n; i++) {
                if (all[i].isAlive() && !all[i].isDaemon()) {
                    waitFor = all[i];
                    break;
                }
            }
            if (waitFor == null) {
                return;
            }
            waitFor.join();
        }
    }

    private static void trimRunnerFrames(Throwable e) {
        StackTraceElement[] frames = e.getStackTrace();
        int keep = frames.length;
        for (int i = 0; i < frames.length; i++) {
            String name = frames[i].getClassName();
            if (name.startsWith("JbuildRunner") || name.startsWith("java.lang.invoke.")) {
                keep = i;
                break;
            }
        }
        e.setStackTrace(Arrays.copyOf(frames, keep));
    }

    private static void flushCase() {
        PrintStream out = caseOut;
        PrintStream err = caseErr;
        if (out != null) {
            out.flush();
        }
        if (err != null) {
            err.flush();
        }
    }

    private static PrintStream printStream(FileOutputStream file, Counter counter, String encodingProperty) {
        String encoding = System.getProperty(encodingProperty);
        Charset charset = encoding == null ? Charset.defaultCharset() : Charset.forName(encoding);
        return new PrintStream(new BufferedOutputStream(new Limited(file, counter), 8192), false, charset);
    }

    /** Bytes written to stdout and stderr together. */
    private static final class Counter {
        final long limit;
        long total;

        Counter(long limit) {
            this.limit = limit;
        }
    }

    /** Writes through until the case's output passes its limit, then ends the runner. */
    private static final class Limited extends OutputStream {
        private final OutputStream out;
        private final Counter counter;

        Limited(OutputStream out, Counter counter) {
            this.out = out;
            this.counter = counter;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            synchronized (counter) {
                long room = counter.limit + 1 - counter.total;
                int n = (int) Math.min(len, Math.max(room, 0));
                out.write(b, off, n);
                counter.total += len;
                if (counter.total > counter.limit) {
                    out.flush();
                    Runtime.getRuntime().halt(OUTPUT_LIMIT_EXIT);
                }
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }
    }

    private static void emptyFolder(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(folder)).forEach(p -> p.toFile().delete());
        }
    }

    private static void send(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }

    private static String unescape(String text) {
        if (text == null) {
            throw new IllegalStateException("request ended early");
        }
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
}
