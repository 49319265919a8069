package io.github.cahelper.maven;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import javax.inject.Named;
import javax.inject.Singleton;
import org.codehaus.plexus.components.secdispatcher.Dispatcher;
import org.codehaus.plexus.components.secdispatcher.SecDispatcher;
import org.codehaus.plexus.components.secdispatcher.SecDispatcherException;

/**
 * Maven 4's route for ca-helper markers. Maven 4 decrypts settings passwords
 * while it builds settings, before any session and for every path (command
 * line and importers alike), and hands a password written
 * {@code {[name=ca-helper,version=1]FLAGS}} to the dispatcher named ca-helper.
 * This one answers with the token {@code ca-helper get FLAGS} prints. A failure
 * is Maven's fatal settings error, with ca-helper's message in it.
 *
 * <p>Maven 4 builds settings before it loads {@code .mvn/extensions.xml} or
 * {@code ~/.m2/extensions.xml}, so this must come from {@code lib/ext} or
 * {@code maven.ext.class.path} (for example in ~/.m2/maven-user.properties).
 *
 * <p>It is compiled against src/api4, a stand-in for the API, so the same jar
 * serves Maven 3, whose Sisu skips this class (its interface is not there).
 */
@Named("ca-helper")
@Singleton
public final class CaHelperDispatcher implements Dispatcher {
    @Override
    public EncryptPayload encrypt(String str, Map<String, String> attributes, Map<String, String> config) {
        throw new SecDispatcherException("ca-helper: markers are written by `ca-helper settings --extension`, not encrypted");
    }

    @Override
    public String decrypt(String str, Map<String, String> attributes, Map<String, String> config) {
        List<String> args;
        try {
            args = Marker.flags(str);
        } catch (IllegalArgumentException e) {
            throw fail("bad ca-helper password: " + e.getMessage());
        }
        long wait = TokenCommand.WAIT_SECONDS;
        String w = System.getProperty("ca-helper.timeout");
        if (w != null && !w.trim().isEmpty()) {
            try {
                wait = Long.parseLong(w.trim());
            } catch (NumberFormatException e) {
                wait = 0;
            }
            if (wait <= 0) {
                throw fail("-Dca-helper.timeout=" + Marker.quote(w) + " is not a whole number of seconds above 0");
            }
        }
        try {
            return TokenCommand.locate(System.getProperty("ca-helper.path"), wait).get(args);
        } catch (TokenCommand.TokenException e) {
            throw fail("no CodeArtifact token: " + e.getMessage());
        }
    }

    /**
     * Maven 4 reports a failed decryption as "Could not decrypt password" and
     * the password text only, so ca-helper's own error goes to stderr first:
     * the build stops either way, and the user sees why.
     */
    private static SecDispatcherException fail(String message) {
        System.err.println("[ERROR] ca-helper: " + message);
        return new SecDispatcherException("ca-helper: " + message);
    }

    @Override
    public SecDispatcher.ValidationResponse validateConfiguration(Map<String, String> config) {
        return new SecDispatcher.ValidationResponse(getClass().getSimpleName(), true, Collections.emptyMap(), Collections.emptyList());
    }
}
