import io.github.cahelper.maven.CaHelperSpy;
import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.settings.Server;

/**
 * Hands one CaHelperSpy the same request twice, as an embedder that keeps its
 * objects between builds would, and prints the server's password after each.
 */
public class SpyTwice {
    public static void main(String[] args) {
        Server server = new Server();
        server.setId("releases");
        server.setPassword("{ca-helper}");
        DefaultMavenExecutionRequest request = new DefaultMavenExecutionRequest();
        request.addServer(server);
        CaHelperSpy spy = new CaHelperSpy();
        for (int i = 0; i < 2; i++) {
            spy.onEvent(request);
            System.out.println(server.getUsername() + " " + server.getPassword());
        }
    }
}
