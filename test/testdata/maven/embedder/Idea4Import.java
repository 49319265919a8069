import java.io.*;
import java.lang.reflect.Proxy;
import java.nio.file.*;
import java.util.*;
import java.util.function.Consumer;
import org.apache.maven.AbstractMavenLifecycleParticipant;
import org.apache.maven.RepositoryUtils;
import org.apache.maven.api.Session;
import org.apache.maven.api.cli.*;
import org.apache.maven.api.cli.mvn.MavenOptions;
import org.apache.maven.api.services.Lookup;
import org.apache.maven.artifact.repository.ArtifactRepository;
import org.apache.maven.bridge.MavenRepositorySystem;
import org.apache.maven.cling.invoker.ProtoLookup;
import org.apache.maven.cling.invoker.mvn.*;
import org.apache.maven.execution.*;
import org.apache.maven.internal.impl.*;
import org.apache.maven.jline.JLineMessageBuilderFactory;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.Repository;
import org.apache.maven.model.RepositoryPolicy;
import org.apache.maven.model.building.ModelBuildingRequest;
import org.apache.maven.plugin.LegacySupport;
import org.apache.maven.plugin.internal.PluginDependenciesResolver;
import org.apache.maven.project.*;
import org.apache.maven.resolver.*;
import org.apache.maven.session.scope.internal.SessionScope;
import org.codehaus.plexus.classworlds.ClassWorld;
import org.eclipse.aether.ConfigurationProperties;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.repository.WorkspaceReader;
import org.eclipse.aether.util.graph.manager.DependencyManagerUtils;
import org.eclipse.aether.util.graph.transformer.ConflictResolver;

/**
 * Imports the Maven project in the working directory the way IntelliJ IDEA's
 * Maven 4 importer does (intellij-community, plugins/maven/maven40-server-impl,
 * package com.intellij.maven.server.m40), as far as settings and credentials
 * go. Each step names the upstream file and method it follows.
 *
 * <pre>java -cp MAVEN_HOME/boot/*:MAVEN_HOME/lib/* -Dmaven.home=MAVEN_HOME -Duser.home=HOME \
 *     [-Dmaven.ext.class.path=JAR] Idea4Import.java SETTINGS LOCAL_REPO IMPORTS PLUGIN...</pre>
 *
 * That classpath is what IntelliJ gives its Maven 4 server besides its own
 * jars: the jars directly in lib/ and boot/'s classworlds
 * (Maven4Support.collectClassPathAndLibsFolder, addMavenLibs). lib/ext and
 * ~/.m2/ext are not on it (only Maven's launcher, bin/m2.conf, loads them).
 * Importer VM options such as -Dmaven.ext.class.path reach the server as JVM
 * system properties (MavenServerCMDState.createJavaParameters).
 *
 * An import is what one sync asks of the server: resolveProjects for
 * ./pom.xml, then resolvePlugins for each PLUGIN (g:a:v), each import with a
 * new embedder in this one long-lived process; each import after the first
 * waits for a line on stdin. It prints "import N: FILE" per resolved artifact
 * and "import N: unresolved WHAT: WHY" otherwise. IntelliJ shows an
 * unresolved artifact as a problem and carries on; so does this program, which
 * then exits 1.
 */
@SuppressWarnings("deprecation") // the importer uses Maven 3 era APIs that Maven 4 keeps
public class Idea4Import {
    public static void main(String[] args) throws Exception {
        int imports = Integer.parseInt(args[2]);
        List<String> plugins = Arrays.asList(args).subList(3, args.length);
        File project = new File(System.getProperty("user.dir"));
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in));
        boolean ok = true;
        for (int i = 1; i <= imports; i++) {
            if (i > 1) {
                // Done with the last import: LOCAL_REPO.ready says so. The test
                // waits for it, not for a download, which Maven still writes around.
                new java.io.File(args[1] + ".ready").createNewFile();
                stdin.readLine(); // the test changes something between imports
            }
            long start = System.nanoTime();
            // MavenProjectsManagerEx.doUpdateAllMavenProjects makes a
            // MavenEmbedderWrappers for each sync and closes it at the end;
            // MavenEmbedderWrappersImpl.getEmbedder has the running server create
            // the embedder: a new Maven40ServerEmbedderImpl for every import.
            Embedder embedder = new Embedder(args[0], args[1], project);
            try {
                // MavenProjectsManagerEx.doDynamicSync: resolveMavenProjects, then
                // importModules, which runs MavenPluginResolver.resolvePlugins.
                List<Repository> pluginRepos = new ArrayList<>();
                ok &= embedder.resolveProject(i, new File(project, "pom.xml"), pluginRepos);
                ok &= embedder.resolvePlugins(i, plugins, pluginRepos);
            } finally {
                embedder.invoker.close(); // Maven40ServerEmbedderImpl.release
            }
            System.out.flush();
            System.err.printf("import %d took %d ms%n", i, (System.nanoTime() - start) / 1_000_000);
        }
        System.exit(ok ? 0 : 1); // Maven may leave threads behind
    }

    /** Maven40ServerEmbedderImpl: one container and one settings build per embedder. */
    static final class Embedder {
        final Invoker4 invoker;
        final Lookup container;

        /** Maven40ServerEmbedderImpl's constructor. */
        Embedder(String settings, String localRepo, File project) {
            String mavenHome = System.getProperty("maven.home");
            ClassWorld world = new ClassWorld("plexus.core", Thread.currentThread().getContextClassLoader());
            invoker = new Invoker4(ProtoLookup.builder().addMapping(ClassWorld.class, world).build());
            // The command line made from MavenServerSettings: the IDE's user
            // properties (none), the local repository, no -U, the default log
            // level (no -X, no -q), -is and -s for the settings files that exist,
            // and -raw-streams true for the IDE's logger.
            List<String> options = new ArrayList<>(List.of("-Dmaven.repo.local=" + localRepo));
            File installation = new File(mavenHome, "conf/settings.xml");
            if (installation.isFile()) {
                options.addAll(List.of("-is", installation.getPath()));
            }
            if (new File(settings).isFile()) {
                options.addAll(List.of("-s", settings));
            }
            options.addAll(List.of("-raw-streams", "true"));
            ParserRequest parserRequest = ParserRequest.builder("", "", options, new JLineMessageBuilderFactory())
                    .userHome(canonical(System.getProperty("user.home")))
                    .mavenHome(canonical(mavenHome))
                    .cwd(canonical(project.getPath()))
                    .build();
            MavenParser parser = new MavenParser() { // no root directory: use the top one
                @Override
                protected Path getRootDirectory(LocalContext context) {
                    Path root = super.getRootDirectory(context);
                    return root != null ? root : context.topDirectory;
                }
            };
            InvokerRequest request = CoreExtensionsSwitch.wrap(parser.parseInvocation(parserRequest));
            request.parserRequest().logger().drain();
            try {
                container = invoker.invokeAndGetContext(request).lookup;
            } catch (InvokerException.ExitException e) {
                throw new IllegalStateException("Maven could not start: " + e.getMessage(), e);
            }
        }

        /**
         * Maven40ServerEmbedderImpl.executeWithMavenSession, with the session
         * builder of Maven40RepositorySystemSessionFactory: Maven's own (servers,
         * mirrors, proxies from the request), verbose graphs, the IDE's user
         * agent. The IDE's workspace reader over an empty map and its progress
         * listener change nothing here and are left out.
         */
        synchronized void executeWithMavenSession(MavenExecutionRequest request, Consumer<MavenSession> body) {
            SessionScope scope = container.lookup(SessionScope.class);
            LegacySupport legacy = container.lookup(LegacySupport.class);
            WorkspaceReader ideReader = container.lookupOptional(WorkspaceReader.class, "ide").orElse(null);
            scope.enter();
            try (RepositorySystemSession.CloseableSession repoSession = container.lookup(RepositorySystemSessionFactory.class)
                    .newRepositorySessionBuilder(request)
                    .setConfigProperty(ConflictResolver.CONFIG_PROP_VERBOSE, true)
                    .setConfigProperty(DependencyManagerUtils.CONFIG_PROP_VERBOSE, true)
                    .setConfigProperty(ConfigurationProperties.USER_AGENT, "Intellij IDEA")
                    .setWorkspaceReader(new MavenChainedWorkspaceReader(ideReader))
                    .build()) {
                MavenSession session = new MavenSession(repoSession, request, new DefaultMavenExecutionResult());
                session.setSession(container.lookup(DefaultSessionFactory.class).newSession(session));
                scope.seed(MavenSession.class, session);
                scope.seed(Session.class, session.getSession());
                scope.seed(InternalMavenSession.class, InternalMavenSession.from(session.getSession()));
                legacy.setSession(session);
                for (AbstractMavenLifecycleParticipant p : container.lookupList(AbstractMavenLifecycleParticipant.class)) {
                    try {
                        p.afterSessionStart(session); // afterSessionStart
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }
                body.accept(session);
            } finally {
                legacy.setSession(null);
                scope.exit();
            }
        }

        /**
         * Maven40ServerEmbedderImpl.resolveProjects and Maven40ProjectResolver:
         * build the POM (getProjectBuildingResults, buildSinglePom), hand the
         * project to the lifecycle participants (afterProjectsRead), resolve its
         * dependencies (resolveBuildingResult, resolveDependencies). Its plugin
         * repositories go to pluginRepos, as the IDE keeps them in its
         * MavenProject (Maven40AetherModelConverter.convertAetherRepositories).
         *
         * STRICT validation, as in the current resolver (the copy stored with
         * this embedder is older and says MINIMAL): Maven 4's
         * DefaultProjectBuilder injects the lifecycle plugins and the plugin
         * repositories only then, so under MINIMAL the IDE gets no plugin
         * repository to resolve plugins from.
         */
        boolean resolveProject(int n, File pom, List<Repository> pluginRepos) throws Exception {
            MavenExecutionRequest request = invoker.createMavenExecutionRequest(); // createRequest
            request.setUpdateSnapshots(false);
            boolean[] ok = {true};
            executeWithMavenSession(request, session -> {
                ProjectBuildingRequest building = request.getProjectBuildingRequest();
                building.setRepositorySession(session.getRepositorySession());
                building.setValidationLevel(ModelBuildingRequest.VALIDATION_LEVEL_STRICT);
                building.setActiveProfileIds(request.getActiveProfiles());
                building.setInactiveProfileIds(request.getInactiveProfiles());
                building.setResolveDependencies(false);
                MavenProject project;
                try {
                    project = container.lookup(ProjectBuilder.class).build(List.of(pom), true, building).get(0).getProject();
                } catch (ProjectBuildingException e) {
                    ok[0] = unresolved(n, pom.getName(), e);
                    return;
                }
                session.setProjects(List.of(project));
                for (AbstractMavenLifecycleParticipant p : container.lookupList(AbstractMavenLifecycleParticipant.class)) {
                    try {
                        p.afterProjectsRead(session);
                    } catch (Exception e) {
                        ok[0] = unresolved(n, "extension " + p.getClass().getName(), e);
                    }
                }
                DependencyResolutionResult result;
                try {
                    result = container.lookup(ProjectDependenciesResolver.class)
                            .resolve(new DefaultDependencyResolutionRequest(project, session.getRepositorySession()));
                } catch (DependencyResolutionException e) {
                    result = e.getResult();
                }
                for (Exception e : result.getCollectionErrors()) {
                    ok[0] = unresolved(n, "dependencies of " + project.getId(), e);
                }
                for (Dependency d : result.getResolvedDependencies()) {
                    System.out.println("import " + n + ": " + d.getArtifact().getPath().getFileName());
                }
                for (Dependency d : result.getUnresolvedDependencies()) {
                    List<Exception> why = result.getResolutionErrors(d);
                    ok[0] = unresolved(n, d.getArtifact().toString(), why.isEmpty() ? null : why.get(0));
                }
                for (RemoteRepository r : project.getRemotePluginRepositories()) {
                    Repository repo = new Repository(); // Maven40ModelConverter.toNativeRepository
                    repo.setId(r.getId());
                    repo.setName(r.getId());
                    repo.setUrl(r.getUrl());
                    repo.setReleases(policy(r.getPolicy(false)));
                    repo.setSnapshots(policy(r.getPolicy(true)));
                    pluginRepos.add(repo);
                }
            });
            return ok[0];
        }

        /**
         * Maven40ServerEmbedderImpl.resolvePlugins, collectPluginResolutionData,
         * map2ArtifactRepositories and resolvePlugin, for the requests
         * MavenPluginResolver.resolvePlugins makes: the project's plugin
         * repositories, the plugin's dependencies not resolved.
         */
        boolean resolvePlugins(int n, List<String> plugins, List<Repository> pluginRepos) throws Exception {
            MavenExecutionRequest request = invoker.createMavenExecutionRequest(); // createRequest
            request.setUpdateSnapshots(false);
            boolean[] ok = {true};
            executeWithMavenSession(request, session -> {
                MavenRepositorySystem repositorySystem = container.lookup(MavenRepositorySystem.class);
                List<ArtifactRepository> mapped = new ArrayList<>();
                for (Repository repo : pluginRepos) { // buildArtifactRepository
                    try {
                        List<ArtifactRepository> one = List.of(MavenRepositorySystem.buildArtifactRepository(repo));
                        repositorySystem.injectMirror(session.getRepositorySession(), one);
                        repositorySystem.injectProxy(session.getRepositorySession(), one);
                        repositorySystem.injectAuthentication(session.getRepositorySession(), one);
                        mapped.addAll(one);
                    } catch (Exception e) {
                        System.err.println("[WARNING] repository " + repo.getId() + ": " + e.getMessage());
                    }
                }
                List<RemoteRepository> repos = RepositoryUtils.toRepos(mapped);
                PluginDependenciesResolver resolver = container.lookup(PluginDependenciesResolver.class);
                for (String coords : plugins) {
                    String[] gav = coords.split(":");
                    Plugin plugin = new Plugin();
                    plugin.setGroupId(gav[0]);
                    plugin.setArtifactId(gav[1]);
                    plugin.setVersion(gav[2]);
                    try {
                        Artifact jar = resolver.resolve(plugin, repos, session.getRepositorySession());
                        // The plugin's graph is collected; none of its jars is fetched.
                        resolver.resolve(plugin, jar, (node, parents) -> false, repos, session.getRepositorySession());
                        System.out.println("import " + n + ": " + jar.getPath().getFileName());
                    } catch (Exception e) {
                        ok[0] = unresolved(n, coords, e);
                    }
                }
            });
            return ok[0];
        }
    }

    /**
     * Maven40Invoker, with compat/CompatResidentMavenInvoker and
     * MavenContextFactory folded in: Maven's invoker steps up to settings and
     * never execute, so DefaultMaven.doExecute never runs. A failed container
     * step is retried without core extensions; a failed settings step is
     * logged and passed over, and the context has no settings.
     */
    static final class Invoker4 extends MavenInvoker {
        private final Map<String, MavenContext> resident = new HashMap<>();
        private MavenContext context;
        private List<AutoCloseable> terminal = List.of();

        Invoker4(Lookup protoLookup) {
            super(protoLookup, null);
        }

        /** CompatResidentMavenInvoker.createContext: one context for the invoker's life. */
        @Override
        protected MavenContext createContext(InvokerRequest request) {
            return resident.computeIfAbsent("resident",
                    k -> new MavenContext(request, false, (MavenOptions) request.options().orElse(null)));
        }

        /** Maven40Invoker.doInvoke. */
        @Override
        protected int doInvoke(MavenContext c) throws Exception {
            validate(c);
            pushCoreProperties(c);
            pushUserProperties(c);
            configureLogging(c);
            int before = c.closeables.size();
            createTerminal(c);
            List<AutoCloseable> added = c.closeables.subList(before, c.closeables.size());
            terminal = new ArrayList<>(added); // kept open until close
            added.clear();
            activateLogging(c);
            helpOrVersionAndMayExit(c);
            preCommands(c);
            if (!attempt("container", () -> container(c), () -> ((CoreExtensionsSwitch) c.invokerRequest).disableCoreExtensions())) {
                attempt("container", () -> container(c), null);
            }
            postContainer(c);
            pushUserProperties(c);
            lookup(c);
            init(c);
            postCommands(c);
            attempt("settings", () -> settings(c), () -> c.localRepositoryPath = localRepositoryPath(c));
            context = c;
            return 0;
        }

        /** Maven40Invoker.invokeAndGetContext. */
        MavenContext invokeAndGetContext(InvokerRequest request) {
            invoke(request);
            return context;
        }

        /** Maven40Invoker.createMavenExecutionRequest: MavenInvoker.execute short of doExecute. */
        MavenExecutionRequest createMavenExecutionRequest() throws Exception {
            MavenExecutionRequest request = prepareMavenExecutionRequest();
            toolchains(context, request);
            populateRequest(context, context.lookup, request);
            return request;
        }

        /** Maven40Invoker.close, then CompatResidentMavenInvoker.close. */
        @Override
        public void close() throws InvokerException {
            Collections.reverse(terminal);
            for (AutoCloseable c : terminal) {
                try {
                    c.close();
                } catch (Exception e) {
                    System.err.println("[WARNING] Maven40Invoker.close (terminal): " + e.getMessage());
                }
            }
            for (MavenContext c : resident.values()) {
                try {
                    c.doCloseContainer();
                } catch (Exception e) {
                    throw new InvokerException("could not close the container", e);
                }
            }
        }

        /**
         * Maven40Invoker.tryRun: IntelliJ logs a failed step as a warning in the
         * Maven server's log (MavenServerGlobals.getLogger), runs the fallback
         * and goes on. The warning goes to stderr here.
         */
        private static boolean attempt(String step, Step action, Runnable onFailure) {
            try {
                action.run();
                return true;
            } catch (Exception e) {
                System.err.println("[WARNING] Maven40Invoker." + step + ": " + e.getMessage());
                for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                    System.err.println("[WARNING]   caused by: " + t.getMessage());
                }
                if (onFailure != null) {
                    onFailure.run();
                }
                return false;
            }
        }

        interface Step {
            void run() throws Exception;
        }
    }

    /**
     * InvokerWithoutCoreExtensions and compat/Maven40InvokerRequestFactory: the
     * invoker request behind a proxy that can stop naming core extensions.
     */
    public interface CoreExtensionsSwitch {
        void disableCoreExtensions();

        static InvokerRequest wrap(InvokerRequest real) {
            boolean[] off = {false};
            return (InvokerRequest) Proxy.newProxyInstance(Idea4Import.class.getClassLoader(),
                    new Class<?>[] {InvokerRequest.class, CoreExtensionsSwitch.class}, (proxy, method, args) -> {
                        String name = method.getName();
                        if (name.equals("disableCoreExtensions")) {
                            off[0] = true;
                            return null;
                        } else if (name.equals("coreExtensions") && off[0]) {
                            return Optional.empty();
                        } else if (name.equals("toString")) {
                            return "[Proxy]:" + real;
                        } else if (name.equals("hashCode")) {
                            return real.hashCode();
                        } else if (args != null && args.length > 0) {
                            throw new UnsupportedOperationException(name);
                        }
                        return InvokerRequest.class.getMethod(name).invoke(real);
                    });
        }
    }

    /** Prints an unresolved line with its root cause (Maven40ServerEmbedderImpl.getRootMessage). */
    static boolean unresolved(int n, String what, Throwable t) {
        Throwable root = t;
        while (root != null && root.getCause() != null) {
            root = root.getCause();
        }
        String why = root == null ? "no reason given" : String.valueOf(root.getMessage());
        System.out.println("import " + n + ": unresolved " + what + ": " + why);
        return false;
    }

    /** Maven40AetherModelConverter.convertPolicy, as a model policy. */
    static RepositoryPolicy policy(org.eclipse.aether.repository.RepositoryPolicy p) {
        RepositoryPolicy result = new RepositoryPolicy();
        result.setEnabled(p.isEnabled());
        result.setUpdatePolicy(p.getArtifactUpdatePolicy());
        result.setChecksumPolicy(p.getChecksumPolicy());
        return result;
    }

    /** Maven40ServerEmbedderImpl.getCanonicalPath. */
    static Path canonical(String path) {
        try {
            return Paths.get(path).toRealPath();
        } catch (Exception e) {
            return Paths.get(path).toAbsolutePath().normalize();
        }
    }
}
