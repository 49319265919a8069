package io.github.cahelper.maven;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A server password that asks for a token: {@code {ca-helper}} for the default
 * target, or {@code {ca-helper:--target work}} with flags for {@code ca-helper get}.
 * Only flags that choose the target or the token's lifetime are allowed, so a
 * marker can never change what {@code get} prints.
 */
final class Marker {
    static final String PREFIX = "{ca-helper";

    static final Set<String> FLAGS = Collections.unmodifiableSet(new TreeSet<>(Arrays.asList(
            "--target", "--domain", "--domain-owner", "--region", "--profile", "--url",
            "--config", "--duration", "--min-ttl", "--cache")));

    private Marker() {
    }

    /** Whether the password is meant for ca-helper, even a malformed one. */
    static boolean is(String password) {
        return password != null && password.trim().startsWith(PREFIX);
    }

    /** The arguments after {@code ca-helper get}; an exception names what is wrong. */
    static List<String> args(String password) {
        String p = password.trim();
        if (p.equals(PREFIX + "}")) {
            return Collections.emptyList();
        }
        if (!p.startsWith(PREFIX + ":") || !p.endsWith("}")) {
            throw new IllegalArgumentException("want {ca-helper} or {ca-helper:--target NAME}");
        }
        return flags(p.substring(PREFIX.length() + 1, p.length() - 1));
    }

    /**
     * The flags of a marker's text, checked: the part after the colon of
     * {@code {ca-helper:…}}, or the payload Maven 4 hands a ca-helper dispatcher.
     */
    static List<String> flags(String text) {
        String inner = text.trim();
        List<String> out = new ArrayList<>();
        String[] words = inner.isEmpty() ? new String[0] : inner.split("\\s+");
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            String flag = w;
            String value = null;
            int eq = w.indexOf('=');
            if (eq > 0) {
                flag = w.substring(0, eq);
                value = w.substring(eq + 1);
            } else if (i + 1 < words.length) {
                value = words[++i];
            }
            if (!FLAGS.contains(flag)) {
                throw new IllegalArgumentException("flag " + quote(flag) + " is not allowed here; use " + String.join(", ", FLAGS));
            }
            if (value == null || value.isEmpty() || value.startsWith("-") || value.indexOf('}') >= 0) {
                throw new IllegalArgumentException("flag " + flag + " needs a value");
            }
            out.add(flag);
            out.add(value);
        }
        return out;
    }

    /** Quotes user text for an error message, cut short and without control characters. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length() && i < 40; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return b.append(s.length() > 40 ? "…\"" : "\"").toString();
    }
}
