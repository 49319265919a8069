package maven

import (
	"bytes"
	"strings"
	"testing"
)

const caURL = "https://my-domain-111122223333.d.codeartifact.eu-west-1.amazonaws.com/maven/releases/"

var (
	releases       = Server{ID: "releases", URL: caURL}
	releasesMirror = Server{ID: "releases", URL: caURL, Mirror: true}
)

// newFile is what Merge makes of no file for releases.
const newFile = `<?xml version="1.0" encoding="UTF-8"?>
<settings xmlns="http://maven.apache.org/SETTINGS/1.0.0"
          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
          xsi:schemaLocation="http://maven.apache.org/SETTINGS/1.0.0 https://maven.apache.org/xsd/settings-1.0.0.xsd">
  <servers>
    <server>
      <id>releases</id>
      <username>aws</username>
      <password>${env.CODEARTIFACT_AUTH_TOKEN}</password>
      <configuration>
        <httpConfiguration>
          <all>
            <usePreemptive>true</usePreemptive>
          </all>
        </httpConfiguration>
      </configuration>
    </server>
  </servers>
  <profiles>
    <profile>
      <id>codeartifact-releases</id>
      <activation>
        <activeByDefault>true</activeByDefault>
      </activation>
      <properties>
        <aether.connector.http.preemptiveAuth.releases>true</aether.connector.http.preemptiveAuth.releases>
        <aether.transport.http.preemptiveAuth.releases>true</aether.transport.http.preemptiveAuth.releases>
        <aether.priority.JdkTransporterFactory>1</aether.priority.JdkTransporterFactory>
      </properties>
      <repositories>
        <repository>
          <id>releases</id>
          <url>https://my-domain-111122223333.d.codeartifact.eu-west-1.amazonaws.com/maven/releases/</url>
          <releases>
            <enabled>true</enabled>
          </releases>
          <snapshots>
            <enabled>true</enabled>
          </snapshots>
        </repository>
      </repositories>
      <pluginRepositories>
        <pluginRepository>
          <id>releases</id>
          <url>https://my-domain-111122223333.d.codeartifact.eu-west-1.amazonaws.com/maven/releases/</url>
          <releases>
            <enabled>true</enabled>
          </releases>
          <snapshots>
            <enabled>true</enabled>
          </snapshots>
        </pluginRepository>
      </pluginRepositories>
    </profile>
  </profiles>
  <activeProfiles>
    <activeProfile>codeartifact-releases</activeProfile>
  </activeProfiles>
</settings>
`

// profileTmpl is the profile block newFile spells out; each leading + is one
// indent level and URL the escaped repository URL.
const profileTmpl = `<profile>
+<id>codeartifact-releases</id>
+<activation>
++<activeByDefault>true</activeByDefault>
+</activation>
+<properties>
++<aether.connector.http.preemptiveAuth.releases>true</aether.connector.http.preemptiveAuth.releases>
++<aether.transport.http.preemptiveAuth.releases>true</aether.transport.http.preemptiveAuth.releases>
++<aether.priority.JdkTransporterFactory>1</aether.priority.JdkTransporterFactory>
+</properties>
+<repositories>
++<repository>
+++<id>releases</id>
+++<url>URL</url>
+++<releases>
++++<enabled>true</enabled>
+++</releases>
+++<snapshots>
++++<enabled>true</enabled>
+++</snapshots>
++</repository>
+</repositories>
+<pluginRepositories>
++<pluginRepository>
+++<id>releases</id>
+++<url>URL</url>
+++<releases>
++++<enabled>true</enabled>
+++</releases>
+++<snapshots>
++++<enabled>true</enabled>
+++</snapshots>
++</pluginRepository>
+</pluginRepositories>
</profile>`

// profile is profileTmpl written at indent ind, with level unit and line break nl.
func profile(ind, unit, nl, url string) string {
	lines := strings.Split(strings.ReplaceAll(profileTmpl, "URL", url), "\n")
	for i, l := range lines {
		n := len(l) - len(strings.TrimLeft(l, "+"))
		lines[i] = strings.Repeat(unit, n) + l[n:]
		if i > 0 {
			lines[i] = ind + lines[i]
		}
	}
	return strings.Join(lines, nl)
}

func TestProfileTemplateMatchesNewFile(t *testing.T) {
	if !strings.Contains(newFile, "\n    "+profile("    ", "  ", "\n", caURL)+"\n") {
		t.Fatal("profileTmpl does not match the profile in newFile")
	}
}

func TestMerge(t *testing.T) {
	tests := []struct {
		name string
		in   string
		s    Server
		want string
	}{
		{name: "no file", s: releases, want: newFile},
		{name: "empty file", in: "", s: releases, want: newFile},
		{name: "blank file", in: "\n  \n", s: releases, want: newFile},
		{
			name: "settings without servers: lists go in schema order",
			in:   "<?xml version=\"1.0\"?>\n<settings>\n  <localRepository>/opt/m2</localRepository>\n  <pluginGroups>\n    <pluginGroup>org.example</pluginGroup>\n  </pluginGroups>\n  <proxies/>\n</settings>\n",
			s:    releases,
			want: "<?xml version=\"1.0\"?>\n<settings>\n  <localRepository>/opt/m2</localRepository>\n  <pluginGroups>\n    <pluginGroup>org.example</pluginGroup>\n  </pluginGroups>\n" +
				"  <servers>\n    <server>\n      <id>releases</id>\n      <username>aws</username>\n      <password>${env.CODEARTIFACT_AUTH_TOKEN}</password>\n      <configuration>\n        <httpConfiguration>\n          <all>\n            <usePreemptive>true</usePreemptive>\n          </all>\n        </httpConfiguration>\n      </configuration>\n    </server>\n  </servers>\n" +
				"  <proxies/>\n" +
				"  <profiles>\n    " + profile("    ", "  ", "\n", caURL) + "\n  </profiles>\n" +
				"  <activeProfiles>\n    <activeProfile>codeartifact-releases</activeProfile>\n  </activeProfiles>\n</settings>\n",
		},
		{
			name: "other entries, xmlns, comments and CDATA kept; entries appended, the mirror first",
			in:   existing,
			s:    releasesMirror,
			want: strings.NewReplacer(
				"        </server>\n", "        </server>\n        <server>\n            <id>releases</id>\n            <username>aws</username>\n            <password>${env.CODEARTIFACT_AUTH_TOKEN}</password>\n            <configuration>\n                <httpConfiguration>\n                    <all>\n                        <usePreemptive>true</usePreemptive>\n                    </all>\n                </httpConfiguration>\n            </configuration>\n        </server>\n",
				"    <mirrors>\n", "    <mirrors>\n        <mirror>\n            <id>releases</id>\n            <mirrorOf>*</mirrorOf>\n            <url>"+caURL+"</url>\n        </mirror>\n",
				"        </profile>\n", "        </profile>\n        "+profile("        ", "    ", "\n", caURL)+"\n",
				"<activeProfile>dev</activeProfile>\n", "<activeProfile>dev</activeProfile>\n        <activeProfile>codeartifact-releases</activeProfile>\n",
			).Replace(existing),
		},
		{
			name: "same id updated in place, tabs kept",
			in: "<settings>\n\t<servers>\n\t\t<server>\n\t\t\t<id>nexus</id>\n\t\t</server>\n\t\t<server>\n\t\t\t<id> releases </id>\n\t\t\t<password>old</password>\n\t\t</server>\n\t\t<server><id>last</id></server>\n\t</servers>\n" +
				"\t<mirrors>\n\t\t<mirror><id>releases</id><url>https://old/</url><mirrorOf>*</mirrorOf></mirror>\n\t</mirrors>\n" +
				"\t<profiles>\n\t\t<profile>\n\t\t\t<id>codeartifact-releases</id>\n\t\t</profile>\n\t</profiles>\n" +
				"\t<activeProfiles>\n\t\t<activeProfile>codeartifact-releases</activeProfile>\n\t\t<activeProfile>dev</activeProfile>\n\t</activeProfiles>\n</settings>\n",
			s: Server{ID: "releases", URL: "https://r.example/m/?a=1&b=<2>", EnvVar: "MY_TOKEN", Mirror: true},
			want: "<settings>\n\t<servers>\n\t\t<server>\n\t\t\t<id>nexus</id>\n\t\t</server>\n\t\t<server>\n\t\t\t<id> releases </id>\n\t\t\t<password>${env.MY_TOKEN}</password>\n" +
				"\t\t\t<username>aws</username>\n\t\t\t<configuration>\n\t\t\t\t<httpConfiguration>\n\t\t\t\t\t<all>\n\t\t\t\t\t\t<usePreemptive>true</usePreemptive>\n\t\t\t\t\t</all>\n\t\t\t\t</httpConfiguration>\n\t\t\t</configuration>\n\t\t</server>\n\t\t<server><id>last</id></server>\n\t</servers>\n" +
				"\t<mirrors>\n\t\t<mirror>\n\t\t\t<id>releases</id>\n\t\t\t<mirrorOf>*</mirrorOf>\n\t\t\t<url>https://r.example/m/?a=1&amp;b=&lt;2&gt;</url>\n\t\t</mirror>\n\t</mirrors>\n" +
				"\t<profiles>\n\t\t" + profile("\t\t", "\t", "\n", "https://r.example/m/?a=1&amp;b=&lt;2&gt;") + "\n\t</profiles>\n" +
				"\t<activeProfiles>\n\t\t<activeProfile>codeartifact-releases</activeProfile>\n\t\t<activeProfile>dev</activeProfile>\n\t</activeProfiles>\n</settings>\n",
		},
		{
			name: "commented-out entry is not matched",
			in:   "<settings>\n  <servers>\n    <!-- <server><id>releases</id></server> -->\n  </servers>\n  <profiles>\n    <profile><id>x</id><!-- ours? --></profile>\n  </profiles>\n  <activeProfiles/>\n</settings>",
			s:    releases,
			want: "<settings>\n  <servers>\n    <!-- <server><id>releases</id></server> -->\n    <server>\n      <id>releases</id>\n      <username>aws</username>\n      <password>${env.CODEARTIFACT_AUTH_TOKEN}</password>\n      <configuration>\n        <httpConfiguration>\n          <all>\n            <usePreemptive>true</usePreemptive>\n          </all>\n        </httpConfiguration>\n      </configuration>\n    </server>\n  </servers>\n" +
				"  <profiles>\n    <profile><id>x</id><!-- ours? --></profile>\n    " + profile("    ", "  ", "\n", caURL) + "\n  </profiles>\n" +
				"  <activeProfiles>\n    <activeProfile>codeartifact-releases</activeProfile>\n  </activeProfiles>\n</settings>",
		},
		{
			name: "self-closing settings",
			in:   "<settings/>\n",
			s:    releases,
			want: "<settings>\n  <servers>\n    <server>\n      <id>releases</id>\n      <username>aws</username>\n      <password>${env.CODEARTIFACT_AUTH_TOKEN}</password>\n      <configuration>\n        <httpConfiguration>\n          <all>\n            <usePreemptive>true</usePreemptive>\n          </all>\n        </httpConfiguration>\n      </configuration>\n    </server>\n  </servers>\n" +
				"  <profiles>\n    " + profile("    ", "  ", "\n", caURL) + "\n  </profiles>\n" +
				"  <activeProfiles>\n    <activeProfile>codeartifact-releases</activeProfile>\n  </activeProfiles>\n</settings>\n",
		},
		{
			name: "self-closing servers, CRLF line breaks kept",
			in:   "<settings>\r\n  <servers/>\r\n  <activeProfiles></activeProfiles>\r\n</settings>\r\n",
			s:    releases,
			want: "<settings>\r\n  <servers>\r\n    <server>\r\n      <id>releases</id>\r\n      <username>aws</username>\r\n      <password>${env.CODEARTIFACT_AUTH_TOKEN}</password>\r\n      <configuration>\r\n        <httpConfiguration>\r\n          <all>\r\n            <usePreemptive>true</usePreemptive>\r\n          </all>\r\n        </httpConfiguration>\r\n      </configuration>\r\n    </server>\r\n  </servers>\r\n" +
				"  <profiles>\r\n    " + profile("    ", "  ", "\r\n", caURL) + "\r\n  </profiles>\r\n" +
				"  <activeProfiles>\r\n    <activeProfile>codeartifact-releases</activeProfile>\r\n  </activeProfiles>\r\n</settings>\r\n",
		},
		{
			name: "one line",
			in:   `<settings><servers><server><id>a</id></server></servers></settings>`,
			s:    releases,
			want: "<settings><servers><server><id>a</id></server>\n    <server>\n      <id>releases</id>\n      <username>aws</username>\n      <password>${env.CODEARTIFACT_AUTH_TOKEN}</password>\n      <configuration>\n        <httpConfiguration>\n          <all>\n            <usePreemptive>true</usePreemptive>\n          </all>\n        </httpConfiguration>\n      </configuration>\n    </server>\n  </servers>\n" +
				"  <profiles>\n    " + profile("    ", "  ", "\n", caURL) + "\n  </profiles>\n" +
				"  <activeProfiles>\n    <activeProfile>codeartifact-releases</activeProfile>\n  </activeProfiles>\n</settings>",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var in []byte
			if tt.name != "no file" {
				in = []byte(tt.in)
			}
			got, err := Merge(in, tt.s)
			if err != nil {
				t.Fatalf("Merge: %v", err)
			}
			if string(got) != tt.want {
				t.Errorf("Merge:\n%s\nwant:\n%s", got, tt.want)
			}
			again, err := Merge(got, tt.s)
			if err != nil || !bytes.Equal(again, got) {
				t.Errorf("Merge of its own output changed it (err %v):\n%s", err, again)
			}
		})
	}
}

// existing is a hand-written settings.xml with entries of other ids.
const existing = `<?xml version="1.0" encoding="UTF-8"?>
<!-- my settings -->
<settings xmlns="http://maven.apache.org/SETTINGS/1.0.0"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://maven.apache.org/SETTINGS/1.0.0 https://maven.apache.org/xsd/settings-1.0.0.xsd">
    <servers>
        <!-- nexus -->
        <server>
            <id>nexus</id>
            <username>me</username>
            <password><![CDATA[p<a>ss]]></password>
        </server>
    </servers>
    <mirrors>
        <mirror>
            <id>corp</id>
            <mirrorOf>external:*</mirrorOf>
            <url>https://corp.example/</url>
        </mirror>
    </mirrors>
    <profiles>
        <profile>
            <id>dev</id>
            <properties><env>dev</env></properties>
        </profile>
    </profiles>
    <activeProfiles>
        <activeProfile>dev</activeProfile>
    </activeProfiles>
</settings>
`

// TestMergeKeepsUsersServer: a server entry of the user's with ca-helper's id
// keeps everything but its password; a literal password is reported.
func TestMergeKeepsUsersServer(t *testing.T) {
	const cfg = "<configuration><httpHeaders><property><name>X-A</name><value>1</value></property></httpHeaders></configuration>"
	wrap := func(server string) string { return "<settings><servers>" + server + "</servers></settings>" }
	tests := []struct {
		name, server, want string
		literal            bool
	}{
		{"own username and configuration kept", "<server><id>releases</id><username>me</username><password>${env.OLD}</password>" + cfg + "</server>",
			"<server><id>releases</id><username>me</username><password>${env.CODEARTIFACT_AUTH_TOKEN}</password>" + cfg + "</server>", false},
		{"literal password reported", "<server><id>releases</id><username>aws</username><password>eyJ2ZXIiOjE</password>" + cfg + "</server>",
			"<server><id>releases</id><username>aws</username><password>${env.CODEARTIFACT_AUTH_TOKEN}</password>" + cfg + "</server>", true},
		{"marker is not literal", "<server><id>releases</id><username>aws</username><password>{ca-helper}</password>" + cfg + "</server>",
			"<server><id>releases</id><username>aws</username><password>${env.CODEARTIFACT_AUTH_TOKEN}</password>" + cfg + "</server>", false},
		{"empty username and password filled", "<server><id>releases</id><username/><password></password>" + cfg + "</server>",
			"<server><id>releases</id><username>aws</username><password>${env.CODEARTIFACT_AUTH_TOKEN}</password>" + cfg + "</server>", false},
		{"comment kept", "<server><id>releases</id><!-- mine --><password>${env.CODEARTIFACT_AUTH_TOKEN}</password>" + cfg + "</server>",
			"<server><id>releases</id><!-- mine --><password>${env.CODEARTIFACT_AUTH_TOKEN}</password>" + cfg + "\n      <username>aws</username>\n    </server>", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, rep, err := MergeReport([]byte(wrap(tt.server)), releases)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(got), tt.want) || rep.LiteralPassword != tt.literal {
				t.Errorf("got literal %v (want %v):\n%s\nwant it to hold:\n%s", rep.LiteralPassword, tt.literal, got, tt.want)
			}
			again, rep2, _ := MergeReport(got, releases)
			if string(again) != string(got) || rep2.LiteralPassword {
				t.Errorf("merging again changed the file or reported a literal password:\n%s", again)
			}
		})
	}
}
