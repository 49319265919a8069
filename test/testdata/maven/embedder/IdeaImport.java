import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.maven.DefaultMaven;
import org.apache.maven.Maven;
import org.apache.maven.RepositoryUtils;
import org.apache.maven.cli.MavenCli;
import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.MavenExecutionRequest;
import org.apache.maven.execution.MavenExecutionRequestPopulator;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.DefaultSettingsBuildingRequest;
import org.apache.maven.settings.building.SettingsBuilder;
import org.codehaus.plexus.PlexusContainer;
import org.codehaus.plexus.classworlds.ClassWorld;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResult;

/**
 * Resolves artifacts the way IntelliJ IDEA's Maven 3 importer does, as far as
 * credentials are concerned: it never calls Maven.execute, so no event spy
 * hears of the request, and every resolution gets a repository session from
 * DefaultMaven.newRepositorySession. Each step names the upstream code it
 * mirrors (intellij-community, plugins/maven/maven3-server-impl).
 *
 * <pre>java -cp MAVEN_HOME/boot/*:MAVEN_HOME/lib/* -Dmaven.home=MAVEN_HOME IdeaImport.java \
 *     SETTINGS LOCAL_REPO IMPORTS COORDS...</pre>
 *
 * IMPORTS is how many imports to run in this one process, like a long-lived
 * IDE; before each import after the first it waits for a line on stdin.
 */
public class IdeaImport {
    public static void main(String[] args) throws Exception {
        String settingsPath = args[0];
        File localRepo = new File(args[1]);
        int imports = Integer.parseInt(args[2]);
        List<String> coords = Arrays.asList(args).subList(3, args.length);
        String dir = System.getProperty("user.dir");
        System.setProperty("maven.multiModuleProjectDirectory", dir);

        // Maven3XServerEmbedder's constructor: a MavenCli with a CliRequest made by
        // reflection, then MavenCli's own initialize, cli, logging, properties and
        // container steps, so core extensions load as they do for mvn
        // (.mvn/extensions.xml, lib/ext, -Dmaven.ext.class.path).
        ClassWorld world = new ClassWorld("plexus.core", Thread.currentThread().getContextClassLoader());
        MavenCli cli = new MavenCli(world);
        Class<?> cliRequestClass = Class.forName("org.apache.maven.cli.CliRequest");
        Constructor<?> ctor = cliRequestClass.getDeclaredConstructor(String[].class, ClassWorld.class);
        ctor.setAccessible(true);
        // The importer's own Maven options: its settings file and local repository
        // (also where .mvn/extensions.xml entries are resolved from).
        Object cliRequest = ctor.newInstance(
                new String[] {"-B", "-s", settingsPath, "-Dmaven.repo.local=" + localRepo.getPath()}, world);
        for (String step : new String[] {"initialize", "cli", "logging", "properties"}) {
            Method m = MavenCli.class.getDeclaredMethod(step, cliRequestClass);
            m.setAccessible(true);
            m.invoke(cli, cliRequest);
        }
        Method containerStep = MavenCli.class.getDeclaredMethod("container", cliRequestClass);
        containerStep.setAccessible(true);
        PlexusContainer container = (PlexusContainer) containerStep.invoke(cli, cliRequest);

        // Maven3ServerEmbedderImpl.buildSettings: the user's settings.xml through
        // Maven's SettingsBuilder.
        DefaultSettingsBuildingRequest sr = new DefaultSettingsBuildingRequest();
        sr.setUserSettingsFile(new File(settingsPath));
        sr.setGlobalSettingsFile(new File(System.getProperty("maven.home"), "conf/settings.xml"));
        sr.setSystemProperties(System.getProperties());
        Settings settings = container.lookup(SettingsBuilder.class).build(sr).getEffectiveSettings();

        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in));
        for (int i = 1; i <= imports; i++) {
            if (i > 1) {
                // Done with the last import: LOCAL_REPO.ready says so. The test
                // waits for it, not for a download, which Maven still writes around.
                new java.io.File(args[1] + ".ready").createNewFile();
                stdin.readLine(); // the test changes something between imports
            }
            // Maven3XServerEmbedder.createRequest: populateFromSettings, then
            // populateDefaults, on a request of its own.
            MavenExecutionRequestPopulator populator = container.lookup(MavenExecutionRequestPopulator.class);
            MavenExecutionRequest request = new DefaultMavenExecutionRequest();
            populator.populateFromSettings(request, settings);
            request.setLocalRepositoryPath(localRepo);
            request.setSystemProperties(System.getProperties());
            request.setUserProperties(new Properties());
            populator.populateDefaults(request);

            // resolvePlugins / tryResolveArtifact: DefaultMaven.newRepositorySession
            // for each resolution, then the RepositorySystem with the request's
            // remote repositories (mirrors and credentials applied by the session).
            DefaultMaven maven = (DefaultMaven) container.lookup(Maven.class);
            RepositorySystemSession session = maven.newRepositorySession(request);
            RepositorySystem system = container.lookup(RepositorySystem.class);
            List<RemoteRepository> repos =
                    system.newResolutionRepositories(session, RepositoryUtils.toRepos(request.getRemoteRepositories()));
            for (String coord : coords) {
                ArtifactResult r = system.resolveArtifact(session, new ArtifactRequest(new DefaultArtifact(coord), repos, null));
                System.out.println("import " + i + ": " + r.getArtifact().getFile().getName());
            }
            System.out.flush();
        }
        container.dispose();
    }
}
