package io.github.cahelper.maven;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** Runs {@code ca-helper get} and returns the token it prints. */
final class TokenCommand {
    /**
     * Default wait: longer than ca-helper's own deadlines (30 s fetch, lock
     * wait), so those fire first with a better message.
     */
    static final long WAIT_SECONDS = 180;
    /** ca-helper refuses larger tokens itself; this only bounds what is read. */
    static final int MAX_TOKEN = 16 * 1024;

    private final String binary;
    private final long waitSeconds;

    TokenCommand(String binary, long waitSeconds) {
        this.binary = binary;
        this.waitSeconds = waitSeconds;
    }

    String binary() {
        return binary;
    }

    /**
     * Finds ca-helper: the property ca-helper.path, else the path install.sh
     * built this jar for (an IDE started from a desktop may not have it on PATH),
     * else PATH.
     */
    static TokenCommand locate(String property, long waitSeconds) {
        if (property != null && !property.trim().isEmpty()) {
            return new TokenCommand(property.trim(), waitSeconds);
        }
        String built = builtPath();
        if (built != null && new File(built).canExecute()) {
            return new TokenCommand(built, waitSeconds);
        }
        boolean windows = System.getProperty("os.name", "").startsWith("Windows");
        String name = windows ? "ca-helper.exe" : "ca-helper";
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                File f = new File(dir.isEmpty() ? "." : dir, name);
                if (f.isFile() && f.canExecute()) {
                    return new TokenCommand(f.getPath(), waitSeconds);
                }
            }
        }
        return new TokenCommand(built != null ? built : name, waitSeconds);
    }

    private static String builtPath() {
        try (InputStream in = TokenCommand.class.getResourceAsStream("ca-helper.properties")) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("path", "").trim();
            return v.isEmpty() ? null : v;
        } catch (IOException e) {
            return null;
        }
    }

    /** The token, or an exception whose message is ca-helper's own error and hint. */
    String get(List<String> args) throws TokenException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary);
        cmd.add("get");
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new TokenException("cannot run " + binary + ": " + e.getMessage(),
                    "install ca-helper (./install.sh) or point -Dca-helper.path at it");
        }
        // Both streams are read on threads so that the deadline below holds even
        // when the child keeps its stdout open.
        Reader err = new Reader(p.getErrorStream(), 64 * 1024);
        Reader out = new Reader(p.getInputStream(), MAX_TOKEN + 2);
        err.start();
        out.start();
        try {
            if (!p.waitFor(waitSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new TokenException(binary + " get did not finish in " + waitSeconds + " s",
                        "run ca-helper doctor, or raise -Dca-helper.timeout=SECONDS");
            }
            out.join(TimeUnit.SECONDS.toMillis(5));
            err.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TokenException("interrupted while waiting for ca-helper", "");
        }
        if (p.exitValue() != 0) {
            // ca-helper's stderr never holds a token: its own tests check that.
            String msg = err.text().trim();
            throw new TokenException(String.join(" ", "ca-helper get", String.join(" ", args)).trim() + " failed (exit " + p.exitValue() + ")"
                    + (msg.isEmpty() ? "" : ":\n" + msg), "");
        }
        String token = out.text();
        if (token.endsWith("\n")) {
            token = token.substring(0, token.length() - 1);
        }
        if (token.isEmpty() || token.length() > MAX_TOKEN || !tokenChars(token)) {
            // Never quote the output: it may be a token.
            throw new TokenException("ca-helper get printed " + out.size() + " bytes that are not one token line",
                    "check that " + binary + " is ca-helper");
        }
        return token;
    }

    /**
     * The characters a token may hold, as ca-helper's Go code has them (package
     * tokenchar, whose tests run this method on the same table): ASCII letters,
     * digits and . _ ~ + / = -.
     */
    private static boolean tokenChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || "._~+/=-".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Reads a stream to its end, keeping at most max bytes. */
    private static final class Reader extends Thread {
        private final InputStream in;
        private final int max;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private int size;

        Reader(InputStream in, int max) {
            this.in = in;
            this.max = max;
            setDaemon(true);
        }

        @Override
        public void run() {
            byte[] b = new byte[8192];
            try (InputStream s = in) {
                for (int n; (n = s.read(b)) > 0; ) {
                    size += n;
                    int keep = Math.min(n, max - buf.size());
                    if (keep > 0) {
                        buf.write(b, 0, keep);
                    }
                }
            } catch (IOException e) {
                // What was read so far is checked like any other output.
            }
        }

        String text() {
            return new String(buf.toByteArray(), StandardCharsets.UTF_8);
        }

        int size() {
            return size;
        }
    }

    /** A failure with the message Maven shows and an optional hint. */
    static final class TokenException extends Exception {
        TokenException(String message, String hint) {
            super(hint.isEmpty() ? message : message + "\nhint: " + hint);
        }
    }
}
