import org.apache.maven.cli.MavenCli;

/**
 * Runs Maven in this JVM through MavenCli.doMain, the embedding entry point,
 * the way an IDE's importer does: no mvn script, no .mvn/jvm.config, no
 * MAVEN_OPTS, no classworlds launcher. Arguments are Maven's.
 */
public class Embed {
    public static void main(String[] args) {
        String dir = System.getProperty("user.dir");
        System.setProperty("maven.multiModuleProjectDirectory", dir);
        System.exit(new MavenCli().doMain(args, dir, System.out, System.err));
    }
}
