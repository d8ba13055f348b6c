/*
 * jbuild's warm compiler: runs javac in-process, one request after another,
 * so only the first compile pays for JVM start-up and javac's class loading.
 *
 * Protocol "jbuild-worker 1", UTF-8, over stdin/stdout. Text fields are one
 * line each, with '\' written as "\\", newline as "\n" and CR as "\r".
 *
 *   worker -> jbuild, once:  "jbuild-worker 1 <cwd>\n"
 *   jbuild -> worker:        "compile <count>\n<cwd>\n<arg 1>\n...<arg count>\n"
 *   worker -> jbuild:        "done <exit> <stdout bytes> <stderr bytes> <heap used> <heap max>\n"
 *                            followed by exactly that many bytes of stdout, then of stderr:
 *                            what javac would have printed, byte for byte.
 *                        or  "error <message>\n" (e.g. the request's cwd is not the worker's)
 *   jbuild -> worker:        "quit\n", or end of input: the worker exits.
 *
 * javac's Tool.run parses its arguments exactly as the javac launcher does,
 * so the class files and diagnostics are those of a cold javac run with the
 * same arguments in the same folder.
 */

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

public final class JbuildWorker {
    private static final String PROTOCOL = "jbuild-worker 1";

    public static void main(String[] args) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        // The real stdout, not System.out: nothing javac or a plugin prints
        // may end up inside a frame.
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        System.setOut(System.err);
        String cwd = Paths.get("").toAbsolutePath().toString();
        if (javac == null) {
            send(out, "error this Java runtime has no compiler (javax.tools)\n", null, null);
            return;
        }
        send(out, PROTOCOL + " " + escape(cwd) + "\n", null, null);
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals("quit")) {
                return;
            }
            if (!line.startsWith("compile ")) {
                send(out, "error unknown request\n", null, null);
                continue;
            }
            int count = Integer.parseInt(line.substring("compile ".length()).trim());
            String requestCwd = unescape(in.readLine());
            String[] arguments = new String[count];
            for (int i = 0; i < count; i++) {
                arguments[i] = unescape(in.readLine());
            }
            if (!requestCwd.equals(cwd)) {
                send(out, "error the worker runs in " + escape(cwd) + ", not " + escape(requestCwd) + "\n", null, null);
                continue;
            }
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            int exit = javac.run(null, stdout, stderr, arguments);
            Runtime runtime = Runtime.getRuntime();
            long used = runtime.totalMemory() - runtime.freeMemory();
            String header = "done " + exit + " " + stdout.size() + " " + stderr.size() + " " + used + " "
                    + runtime.maxMemory() + "\n";
            send(out, header, stdout, stderr);
        }
    }

    private static void send(OutputStream out, String header, ByteArrayOutputStream a, ByteArrayOutputStream b)
            throws IOException {
        out.write(header.getBytes(StandardCharsets.UTF_8));
        if (a != null) {
            a.writeTo(out);
        }
        if (b != null) {
            b.writeTo(out);
        }
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
