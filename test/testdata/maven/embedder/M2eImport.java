import java.io.*;
import java.util.*;
import java.util.concurrent.Callable;
import org.apache.maven.*;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.repository.ArtifactRepository;
import org.apache.maven.cli.MavenCli;
import org.apache.maven.cli.internal.BootstrapCoreExtensionManager;
import org.apache.maven.cli.internal.extension.model.CoreExtension;
import org.apache.maven.cli.internal.extension.model.io.xpp3.CoreExtensionsXpp3Reader;
import org.apache.maven.cli.logging.Slf4jLoggerManager;
import org.apache.maven.execution.*;
import org.apache.maven.execution.scope.internal.MojoExecutionScopeModule;
import org.apache.maven.extension.internal.CoreExports;
import org.apache.maven.extension.internal.CoreExtensionEntry;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.building.ModelBuildingRequest;
import org.apache.maven.model.building.ModelProblem;
import org.apache.maven.plugin.LegacySupport;
import org.apache.maven.project.*;
import org.apache.maven.properties.internal.EnvironmentUtils;
import org.apache.maven.repository.RepositorySystem;
import org.apache.maven.session.scope.internal.SessionScope;
import org.apache.maven.session.scope.internal.SessionScopeModule;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.DefaultSettingsBuildingRequest;
import org.apache.maven.settings.building.SettingsBuilder;
import org.codehaus.plexus.*;
import org.codehaus.plexus.classworlds.ClassWorld;
import org.codehaus.plexus.classworlds.realm.ClassRealm;
import org.eclipse.aether.ConfigurationProperties;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Imports the project in the working directory as Eclipse m2e 2.11.1 (embedding Maven 3.9.16; VS Code's Java
 * extension runs the same m2e in JDT LS) does, as far as credentials go: its own Plexus containers, core extensions
 * loaded by m2e itself from the project's .mvn/extensions.xml only, repository sessions from
 * DefaultMaven.newRepositorySession, and never Maven.execute, so no event spy hears of the import. Each step names
 * the eclipse-m2e/m2e-core file and method it follows, under org.eclipse.m2e.core/src/org/eclipse/m2e/core/internal/
 * (embedder/ unless named; compat/ is org.eclipse.m2e.maven.runtime/src/main/java/org/eclipse/m2e/internal/maven/
 * compat/). What needs Eclipse is left out: the workspace reader, the caches ExtensionModule binds, progress.
 *
 * <pre>java -cp MAVEN_HOME/boot/*:MAVEN_HOME/lib/* M2eImport.java SETTINGS LOCAL_REPO IMPORTS COORDS...</pre>
 *
 * SETTINGS is m2e's user settings file, LOCAL_REPO stands for its localRepository, IMPORTS is how many imports to
 * run in this process (before each after the first it waits for a line on stdin), and each of COORDS
 * (group:artifact:version) must come out as a resolved dependency or build plugin: "import N: FILE".
 */
public class M2eImport {
    private static File settingsFile;
    private static File localRepo;
    private static Settings settings;
    private static final Slf4jLoggerManager LOGGERS = new Slf4jLoggerManager(); // m2e passes its EclipseLoggerManager

    public static void main(String[] args) throws Exception {
        settingsFile = new File(args[0]).getAbsoluteFile();
        localRepo = new File(args[1]).getAbsoluteFile();
        int imports = Integer.parseInt(args[2]);
        List<String> coords = Arrays.asList(args).subList(3, args.length);
        File pom = new File(System.getProperty("user.dir"), "pom.xml").getAbsoluteFile();

        // MavenImpl.getPlexusContainer -> PlexusContainerManager.aquire(): the container without a root, which
        // MavenImpl.lookup and getSettings use; it never has extensions. aquire(File): one container per root
        // (MavenProperties.computeMultiModuleProjectDirectory), kept while the root's .mvn exists; none without.
        PlexusContainer global = newPlexusContainer(null, null);
        File root = multiModuleProjectDirectory(pom.getParentFile());
        PlexusContainer project = root == null ? global : newPlexusContainer(root, global);

        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in));
        for (int i = 1; i <= imports; i++) {
            if (i > 1) {
                // Done with the last import: LOCAL_REPO.ready says so. The test
                // waits for it, not for a download, which Maven still writes around.
                new java.io.File(args[1] + ".ready").createNewFile();
                stdin.readLine(); // the test changes something between imports
            }
            importProject(i, global, project, root, pom, coords);
        }
        if (project != global) {
            project.dispose();
        }
        global.dispose();
    }

    // One ProjectRegistryManager.refresh of the pom: phase 1, then phase 2.
    static void importProject(int n, PlexusContainer global, PlexusContainer c, File root, File pom, List<String> coords)
            throws Exception {
        // Phase 1, ProjectRegistryManager.readMavenProjectFacades: a MavenExecutionContext on the root's container
        // and root as basedir, configureExecutionRequest, IMavenToolbox.readMavenProjects without dependencies, then
        // executeParticipants runs the extensions' lifecycle participants on a clone of the session.
        execute(c, createExecutionRequest(c, global, root, root, pom), session -> {
            MavenProject read = readMavenProject(c, pom, newProjectBuildingRequest(session));
            for (AbstractMavenLifecycleParticipant p : withRealm(c, () -> new ArrayList<>(c.lookupList(AbstractMavenLifecycleParticipant.class)))) {
                MavenSession clone = session.clone();
                clone.setProjects(Collections.singletonList(read));
                p.afterProjectsRead(clone);
            }
            return read;
        });

        // Phase 2, refreshPhase2 -> setupLifecycleMapping -> getMavenProject -> readProjectsWithDependencies: a new
        // context (its basedir is the pom file itself), and the read again with resolveDependencies on.
        MavenProject withDeps = execute(c, createExecutionRequest(c, global, root, pom, pom), session -> {
            ProjectBuildingRequest pbr = newProjectBuildingRequest(session);
            pbr.setResolveDependencies(true);
            return readMavenProject(c, pom, pbr);
        });

        // Then, in the facade's context (MavenProjectFacade.createExecutionContext),
        // lifecyclemapping/LifecycleMappingFactory.getMavenPluginEmbeddedMetadataSources calls
        // MavenImpl.resolvePluginArtifact for each plugin of the plan with the project's plugin repositories (here
        // only for the plugins in COORDS). MavenImpl.resolve looks its components up in the global container but
        // takes the repository session of the thread's context: the project's.
        execute(c, createExecutionRequest(c, global, root, pom.getParentFile(), pom), session -> {
            for (String coord : coords) {
                String found = null;
                for (Artifact a : withDeps.getArtifacts()) {
                    // One that could not be downloaded is a "Missing artifact" marker in m2e, not an error.
                    if (coord.equals(a.getGroupId() + ":" + a.getArtifactId() + ":" + a.getVersion()) && a.getFile() != null
                            && a.getFile().isFile()) {
                        found = a.getFile().getName();
                    }
                }
                for (Plugin p : withDeps.getBuildPlugins()) {
                    if (found == null && coord.equals(p.getGroupId() + ":" + p.getArtifactId() + ":" + p.getVersion())) {
                        Artifact artifact = lookup(global, RepositorySystem.class).createPluginArtifact(p);
                        ArtifactRequest ar = new ArtifactRequest(RepositoryUtils.toArtifact(artifact),
                                RepositoryUtils.toRepos(withDeps.getPluginArtifactRepositories()), null);
                        found = lookup(global, org.eclipse.aether.RepositorySystem.class)
                                .resolveArtifact(session.getRepositorySession(), ar).getArtifact().getFile().getName();
                    }
                }
                if (found == null) {
                    throw new IllegalStateException("m2e-import: " + coord + " is neither a resolved dependency nor a build plugin of " + pom);
                }
                System.out.println("import " + n + ": " + found);
            }
            return null;
        });
        System.out.flush();
    }

    interface InSession<V> {
        V call(MavenSession session) throws Exception;
    }

    // MavenExecutionContext.execute(MavenProject, ICallable, IProgressMonitor) without a parent context:
    // populateDefaults, createRepositorySession (DefaultMaven.newRepositorySession, where Maven 3 decrypts the
    // settings' servers; m2e wraps it in FilterRepositorySystemSession for its update policy), a MavenSession in
    // LegacySupport and the session scope.
    static <V> V execute(PlexusContainer c, MavenExecutionRequest request, InSession<V> body) throws Exception {
        return withRealm(c, () -> {
            lookup(c, MavenExecutionRequestPopulator.class).populateDefaults(request); // system properties: already set
            RepositorySystemSession repoSession = ((DefaultMaven) lookup(c, Maven.class)).newRepositorySession(request);
            MavenSession session = new MavenSession(c, repoSession, request, new DefaultMavenExecutionResult());
            LegacySupport legacy = lookup(c, LegacySupport.class);
            MavenSession before = legacy.getSession();
            legacy.setSession(session);
            SessionScope scope = lookup(c, SessionScope.class);
            scope.enter();
            scope.seed(MavenSession.class, session);
            try {
                return body.call(session);
            } finally {
                scope.exit();
                legacy.setSession(before);
            }
        });
    }

    // MavenExecutionContext.newExecutionRequest -> createExecutionRequest: settings from MavenImpl.getSettings,
    // updateSettingsFiles (no global settings by default), populateFromSettings, updateLocalRepository with
    // getLocalRepositoryPath (the settings' localRepository, else ~/.m2/repository; never -Dmaven.repo.local),
    // m2e's user properties, the system properties, the cache flags; then setBaseDirectory, and the pom as
    // ProjectRegistryManager.configureExecutionRequest sets it.
    static MavenExecutionRequest createExecutionRequest(PlexusContainer c, PlexusContainer global, File root, File basedir, File pom)
            throws Exception {
        Settings s = getSettings(global);
        MavenExecutionRequest r = new DefaultMavenExecutionRequest();
        r.setUserSettingsFile(settingsFile);
        r.setUserToolchainsFile(MavenCli.DEFAULT_USER_TOOLCHAINS_FILE);
        r = lookup(c, MavenExecutionRequestPopulator.class).populateFromSettings(r, s);
        File path = s.getLocalRepository() != null ? new File(s.getLocalRepository()) : RepositorySystem.defaultUserLocalRepository;
        ArtifactRepository local = lookup(c, RepositorySystem.class).createLocalRepository(path);
        r.setLocalRepository(local);
        r.setLocalRepositoryPath(local.getBasedir());
        r.setOffline(false);
        r.getUserProperties().put("m2e.version", "2.11.1");
        r.getUserProperties().put(ConfigurationProperties.USER_AGENT, "m2e/harness/2.11.1/" + System.getProperty("java.version"));
        Properties sys = new Properties(); // populateSystemProperties: the environment (env.*) and the JVM's
        EnvironmentUtils.addEnvVars(sys);
        sys.putAll(System.getProperties());
        r.setSystemProperties(sys);
        r.setCacheNotFound(true);
        r.setCacheTransferError(true);
        r.setMultiModuleProjectDirectory(root);
        r.setBaseDirectory(basedir);
        r.setPom(pom);
        return r;
    }

    // MavenImpl.getSettings -> MavenSettings.getSettings: built once by the global container's SettingsBuilder.
    static Settings getSettings(PlexusContainer global) throws Exception {
        if (settings == null) {
            DefaultSettingsBuildingRequest sr = new DefaultSettingsBuildingRequest();
            Properties sys = new Properties();
            sys.putAll(System.getProperties());
            sr.setSystemProperties(sys);
            sr.setUserSettingsFile(settingsFile);
            settings = lookup(global, SettingsBuilder.class).build(sr).getEffectiveSettings();
            if (settings.getLocalRepository() == null) {
                settings.setLocalRepository(localRepo.getPath()); // LOCAL_REPO as the settings' <localRepository>
            }
        }
        return settings;
    }

    // MavenExecutionContext.newProjectBuildingRequest: the fields the request's own getProjectBuildingRequest fills
    // (repositories, properties, profiles, plugins processed), with the context's repository session.
    static ProjectBuildingRequest newProjectBuildingRequest(MavenSession session) {
        ProjectBuildingRequest pbr = session.getRequest().getProjectBuildingRequest();
        pbr.setRepositorySession(session.getRepositorySession());
        return pbr;
    }

    // IMavenToolbox.readMavenProjects with minimal validation. An error problem fails the read, as hasError makes
    // ProjectRegistryManager.readProjectWithDependencies fail; dependency errors become markers on the pom.
    static MavenProject readMavenProject(PlexusContainer c, File pom, ProjectBuildingRequest pbr) throws Exception {
        pbr.setValidationLevel(ModelBuildingRequest.VALIDATION_LEVEL_MINIMAL);
        ProjectBuildingResult result = lookup(c, ProjectBuilder.class).build(Collections.singletonList(pom), false, pbr).get(0);
        for (ModelProblem p : result.getProblems()) {
            if (p.getSeverity() != ModelProblem.Severity.WARNING) {
                throw new IllegalStateException("m2e-import: reading " + pom + ": " + p.getMessage(), p.getException());
            }
        }
        DependencyResolutionResult deps = result.getDependencyResolutionResult();
        for (Exception e : deps == null ? Collections.<Exception>emptyList() : deps.getCollectionErrors()) {
            System.err.println("m2e-import: marker on " + pom + ": " + e.getMessage());
        }
        return result.getProject();
    }

    // PlexusContainerManager.newPlexusContainer: a ClassWorld of its own, the root's core extensions,
    // setupContainerRealm with an empty ext class path (m2e has none: no lib/ext, no maven.ext.class.path), the
    // container with CoreExports bound, then compat/PlexusContainerFacade.loadExtension for each extension.
    static PlexusContainer newPlexusContainer(File root, PlexusContainer global) throws Exception {
        ClassWorld world = new ClassWorld("plexus.core", ClassWorld.class.getClassLoader());
        ClassRealm core = world.getRealm("plexus.core");
        CoreExtensionEntry coreEntry = CoreExtensionEntry.discoverFrom(core);
        List<CoreExtensionEntry> extensions = loadCoreExtensions(core, coreEntry, root, global);
        ClassRealm realm = core;
        Set<String> artifacts = new HashSet<>(coreEntry.getExportedArtifacts());
        Set<String> packages = new HashSet<>(coreEntry.getExportedPackages());
        if (!extensions.isEmpty()) {
            realm = world.newRealm("maven.ext.", null);
            realm.setParentRealm(core);
            for (int i = extensions.size() - 1; i >= 0; i--) {
                CoreExtensionEntry e = extensions.get(i);
                for (String pkg : e.getExportedPackages().isEmpty() ? Collections.singleton(e.getClassRealm().getId()) : e.getExportedPackages()) {
                    realm.importFrom(e.getClassRealm(), pkg);
                }
                artifacts.addAll(e.getExportedArtifacts());
                packages.addAll(e.getExportedPackages());
            }
        }
        DefaultPlexusContainer c = newContainer(world, realm, new CoreExports(realm, artifacts, packages));
        withRealm(c, () -> {
            for (CoreExtensionEntry e : extensions) {
                c.discoverComponents(e.getClassRealm(), new SessionScopeModule(c), new MojoExecutionScopeModule(c));
            }
            return null;
        });
        return c;
    }

    // compat/PlexusContainerFacade.loadCoreExtensions: ROOT/.mvn/extensions.xml and nothing else. A throwaway
    // container on the core realm resolves its entries with BootstrapCoreExtensionManager, from a request made as
    // the factory in PlexusContainerManager.newPlexusContainer makes it (createExecutionRequest, populateDefaults).
    static List<CoreExtensionEntry> loadCoreExtensions(ClassRealm core, CoreExtensionEntry coreEntry, File root,
            PlexusContainer global) throws Exception {
        File xml = root == null ? null : new File(root, ".mvn/extensions.xml");
        if (xml == null || !xml.isFile()) {
            return Collections.emptyList();
        }
        List<CoreExtension> extensions;
        try (InputStream in = new FileInputStream(xml)) {
            extensions = new CoreExtensionsXpp3Reader().read(in).getExtensions();
        }
        if (extensions.isEmpty()) {
            return Collections.emptyList();
        }
        DefaultPlexusContainer boot = newContainer(core.getWorld(), core, null);
        try {
            return withRealm(boot, () -> {
                MavenExecutionRequest r = createExecutionRequest(boot, global, root, root, null);
                lookup(boot, MavenExecutionRequestPopulator.class).populateDefaults(r);
                return lookup(boot, BootstrapCoreExtensionManager.class).loadCoreExtensions(r, coreEntry.getExportedArtifacts(), extensions);
            });
        } finally {
            boot.dispose();
        }
    }

    // The container configuration both m2e containers share (index scanning, autowiring, JSR-250, name "maven"),
    // with the SLF4J factory bound, CoreExports too when given; no lookup realm, and m2e's logger manager.
    static DefaultPlexusContainer newContainer(ClassWorld world, ClassRealm realm, CoreExports exports) throws Exception {
        ContainerConfiguration cc = new DefaultContainerConfiguration().setClassWorld(world).setRealm(realm)
                .setClassPathScanning(PlexusConstants.SCANNING_INDEX).setAutoWiring(true).setJSR250Lifecycle(true).setName("maven");
        DefaultPlexusContainer c = new DefaultPlexusContainer(cc, new com.google.inject.AbstractModule() {
            @Override
            protected void configure() {
                bind(ILoggerFactory.class).toInstance(LoggerFactory.getILoggerFactory());
                if (exports != null) {
                    bind(CoreExports.class).toInstance(exports);
                }
            }
        });
        c.setLookupRealm(null);
        withRealm(c, () -> {
            c.setLoggerManager(LOGGERS);
            return null;
        });
        return c;
    }

    // MavenProperties.computeMultiModuleProjectDirectory: the nearest directory up from dir with a .mvn folder
    // (canonical, as PlexusContainerManager.aquire(File) keys its containers).
    static File multiModuleProjectDirectory(File dir) throws IOException {
        for (File d = dir; d != null; d = d.getParentFile()) {
            if (new File(d, ".mvn").isDirectory()) {
                return d.getCanonicalFile();
            }
        }
        return null;
    }

    // PlexusContainerManager's PlexusComponentLookup and MavenImpl.lookup: the container's realm as the context
    // class loader while looking up.
    static <T> T lookup(PlexusContainer c, Class<T> type) throws Exception {
        return withRealm(c, () -> c.lookup(type));
    }

    static <V> V withRealm(PlexusContainer c, Callable<V> body) throws Exception {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(c.getContainerRealm());
        try {
            return body.call();
        } finally {
            t.setContextClassLoader(before);
        }
    }
}
