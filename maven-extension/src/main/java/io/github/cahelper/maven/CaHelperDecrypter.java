package io.github.cahelper.maven;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import javax.inject.Named;
import javax.inject.Singleton;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;
import org.eclipse.sisu.Priority;

/**
 * Puts CodeArtifact tokens into servers whose password is a ca-helper marker
 * where Maven 3 decrypts settings passwords. Every repository session is
 * built through this step (DefaultMaven.newRepositorySession, which the
 * command line, IntelliJ's Maven 3 importer and Eclipse m2e all call), also
 * where no event spy is told about the request, so the token reaches an IDE
 * import too. Every other server goes to Maven's own decrypter unchanged.
 *
 * <p>The higher {@link Priority} makes Maven inject this instead of its
 * default decrypter, which this one wraps. A failure throws, so a build or an
 * import stops with ca-helper's message instead of sending the marker and
 * getting a 401.
 */
@Named("ca-helper")
@Singleton
@Priority(100)
public final class CaHelperDecrypter implements SettingsDecrypter {
    private final SettingsDecrypter maven;

    @Inject
    public CaHelperDecrypter(@Named("default") SettingsDecrypter maven) {
        this.maven = maven;
    }

    @Override
    public SettingsDecryptionResult decrypt(SettingsDecryptionRequest request) {
        List<Server> servers = request.getServers() == null ? new ArrayList<Server>() : request.getServers();
        List<Server> others = new ArrayList<>();
        Map<List<String>, List<Server>> wanted = new LinkedHashMap<>();
        for (Server s : servers) {
            if (!Marker.is(s.getPassword())) {
                others.add(s);
                continue;
            }
            try {
                wanted.computeIfAbsent(Marker.args(s.getPassword()), k -> new ArrayList<>()).add(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("ca-helper: server " + Marker.quote(s.getId()) + " in settings.xml: bad ca-helper password "
                        + Marker.quote(s.getPassword().trim()) + ": " + e.getMessage());
            }
        }
        DefaultSettingsDecryptionRequest rest = new DefaultSettingsDecryptionRequest();
        rest.setServers(others);
        rest.setProxies(request.getProxies() == null ? new ArrayList<Proxy>() : request.getProxies());
        SettingsDecryptionResult decrypted = maven.decrypt(rest);
        if (wanted.isEmpty() || CaHelperSpy.offline) {
            // Offline (mvn -o, known from the spy) reaches no repository; the
            // marker stays and is sent nowhere.
            return decrypted;
        }
        Map<Server, Server> filled = new LinkedHashMap<>();
        TokenCommand cmd = TokenCommand.locate(System.getProperty(CaHelperSpy.PATH_PROPERTY), waitSeconds());
        for (Map.Entry<List<String>, List<Server>> e : wanted.entrySet()) {
            String token;
            try {
                token = cmd.get(e.getKey());
            } catch (TokenCommand.TokenException ex) {
                throw new IllegalStateException("ca-helper: no CodeArtifact token for server " + ids(e.getValue()) + ": " + ex.getMessage());
            }
            for (Server s : e.getValue()) {
                Server copy = s.clone(); // the request's server keeps its marker for the next session
                copy.setPassword(token);
                if (copy.getUsername() == null || copy.getUsername().trim().isEmpty()) {
                    copy.setUsername(CaHelperSpy.USERNAME);
                }
                filled.put(s, copy);
            }
        }
        // In the order of the request, as Maven's own decrypter answers.
        List<Server> out = new ArrayList<>();
        int other = 0;
        for (Server s : servers) {
            Server f = filled.get(s);
            out.add(f != null ? f : decrypted.getServers().get(other++));
        }
        return new Result(out, decrypted.getProxies(), decrypted.getProblems());
    }

    private static long waitSeconds() {
        try {
            return CaHelperSpy.waitSeconds(System.getProperty(CaHelperSpy.TIMEOUT_PROPERTY));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("ca-helper: " + e.getMessage());
        }
    }

    private static String ids(List<Server> servers) {
        List<String> out = new ArrayList<>();
        for (Server s : servers) {
            out.add(s.getId());
        }
        return String.join(", ", out);
    }

    /** The answer: Maven's own result class is not public in every version. */
    private static final class Result implements SettingsDecryptionResult {
        private final List<Server> servers;
        private final List<Proxy> proxies;
        private final List<SettingsProblem> problems;

        Result(List<Server> servers, List<Proxy> proxies, List<SettingsProblem> problems) {
            this.servers = servers;
            this.proxies = proxies;
            this.problems = problems;
        }

        @Override
        public Server getServer() {
            return servers.isEmpty() ? null : servers.get(0);
        }

        @Override
        public List<Server> getServers() {
            return servers;
        }

        @Override
        public Proxy getProxy() {
            return proxies.isEmpty() ? null : proxies.get(0);
        }

        @Override
        public List<Proxy> getProxies() {
            return proxies;
        }

        @Override
        public List<SettingsProblem> getProblems() {
            return problems;
        }
    }
}
