package io.github.cahelper.maven;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import javax.inject.Named;
import javax.inject.Singleton;
import org.apache.maven.BuildAbort;
import org.apache.maven.eventspy.AbstractEventSpy;
import org.apache.maven.execution.MavenExecutionRequest;
import org.apache.maven.settings.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts CodeArtifact tokens into the servers whose password is a ca-helper
 * marker. Maven hands the execution request to event spies before it builds
 * the repository session, and that session takes its credentials from the
 * request's servers, so the token is in place for every download, for plugins
 * and for deploy alike.
 *
 * <p>A failure throws {@link BuildAbort}: Maven's spy dispatcher logs and
 * ignores any other exception, which would let the build go on without
 * credentials and end in a 401.
 */
@Named("ca-helper")
@Singleton
public final class CaHelperSpy extends AbstractEventSpy {
    static final String PATH_PROPERTY = "ca-helper.path";
    static final String TIMEOUT_PROPERTY = "ca-helper.timeout";
    static final String USERNAME = "aws";

    /**
     * Whether the last build this JVM started is offline (mvn -o). The spy
     * hears of the request before any session is made; CaHelperDecrypter,
     * which does not, then fetches no token either.
     */
    static volatile boolean offline;

    private final Logger log = LoggerFactory.getLogger(CaHelperSpy.class);

    /**
     * The servers this spy filled and the flags of their marker. An embedder
     * that keeps its Server objects between builds (an IDE's long-lived Maven)
     * would otherwise hand the next build the old token instead of a marker.
     * Weak keys with identity semantics: Server does not override equals.
     */
    private final Map<Server, List<String>> filled = Collections.synchronizedMap(new WeakHashMap<>());

    @Override
    public void onEvent(Object event) {
        if (event instanceof MavenExecutionRequest) {
            apply((MavenExecutionRequest) event);
        }
    }

    private void apply(MavenExecutionRequest request) {
        offline = request.isOffline();
        Map<List<String>, List<Server>> wanted = new LinkedHashMap<>();
        for (Server s : request.getServers()) {
            List<String> again = filled.get(s);
            if (again != null) {
                wanted.computeIfAbsent(again, k -> new ArrayList<>()).add(s);
                continue;
            }
            if (!Marker.is(s.getPassword())) {
                continue;
            }
            try {
                wanted.computeIfAbsent(Marker.args(s.getPassword()), k -> new ArrayList<>()).add(s);
            } catch (IllegalArgumentException e) {
                throw abort("server " + Marker.quote(s.getId()) + " in settings.xml: bad ca-helper password "
                        + Marker.quote(s.getPassword().trim()) + ": " + e.getMessage());
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        if (request.isOffline()) {
            // mvn -o reaches no repository, so it needs no token, and must work
            // where no token can be had (no network, no credentials).
            log.debug("ca-helper: offline, no token fetched");
            return;
        }
        TokenCommand cmd = TokenCommand.locate(property(request, PATH_PROPERTY), waitSeconds(request));
        for (Map.Entry<List<String>, List<Server>> e : wanted.entrySet()) {
            long start = System.nanoTime();
            String token;
            try {
                token = cmd.get(e.getKey());
            } catch (TokenCommand.TokenException ex) {
                throw abort("no CodeArtifact token for server " + ids(e.getValue()) + ": " + ex.getMessage());
            }
            for (Server s : e.getValue()) {
                filled.put(s, e.getKey());
                s.setPassword(token);
                if (s.getUsername() == null || s.getUsername().trim().isEmpty()) {
                    s.setUsername(USERNAME);
                }
            }
            log.debug("ca-helper: token for server {} from {} in {} ms", ids(e.getValue()),
                    String.join(" ", cmd.binary(), "get", String.join(" ", e.getKey())).trim(), (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** A -D property from the command line, else from the JVM. */
    private static String property(MavenExecutionRequest request, String name) {
        String v = request.getUserProperties().getProperty(name);
        return v != null ? v : request.getSystemProperties().getProperty(name, System.getProperty(name));
    }

    private static long waitSeconds(MavenExecutionRequest request) {
        try {
            return waitSeconds(property(request, TIMEOUT_PROPERTY));
        } catch (IllegalArgumentException e) {
            throw abort(e.getMessage());
        }
    }

    /**
     * The wait given by -Dca-helper.timeout: value in seconds, or the
     * default when it is unset; anything else is refused.
     */
    static long waitSeconds(String value) {
        if (value == null || value.trim().isEmpty()) {
            return TokenCommand.WAIT_SECONDS;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException("-D" + TIMEOUT_PROPERTY + "=" + Marker.quote(value)
                + " is not a whole number of seconds above 0");
    }

    private static String ids(List<Server> servers) {
        List<String> out = new ArrayList<>();
        for (Server s : servers) {
            out.add(s.getId());
        }
        return String.join(", ", out);
    }

    private static BuildAbort abort(String message) {
        return new BuildAbort("ca-helper: " + message);
    }
}
