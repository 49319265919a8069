package io.github.cahelper.maven;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A server password that asks for a token: {@code {[name=ca-helper,version=1]FLAGS}},
 * the form every Maven takes (Maven 4 hands it to the dispatcher named
 * ca-helper), or the older {@code {ca-helper}} / {@code {ca-helper:FLAGS}}, with
 * FLAGS for {@code ca-helper get} (none: the default target).
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
        if (password == null) {
            return false;
        }
        String p = password.trim();
        return p.startsWith(PREFIX) || (p.startsWith("{[") && attributes(p).contains("name=ca-helper"));
    }

    /** The arguments after {@code ca-helper get}; an exception names what is wrong. */
    static List<String> args(String password) {
        String p = password.trim();
        if (p.startsWith("{[")) {
            int close = p.indexOf(']');
            if (close < 0 || !p.endsWith("}") || p.indexOf('{', 1) >= 0) {
                throw new IllegalArgumentException("want {[name=ca-helper,version=1]FLAGS}");
            }
            return flags(p.substring(close + 1, p.length() - 1));
        }
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

    /** The name=value attributes of a {[…]…} password. */
    private static List<String> attributes(String p) {
        int close = p.indexOf(']');
        if (close < 0) {
            return Collections.emptyList();
        }
        List<String> out = new ArrayList<>();
        for (String a : p.substring(2, close).split(",")) {
            out.add(a.trim());
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
