package org.codehaus.plexus.components.secdispatcher;

import java.util.Map;

/**
 * Compile-time stand-in for the plexus-sec-dispatcher 4.x type of this name,
 * which only Maven 4 ships. build.sh compiles CaHelperDispatcher against it
 * and leaves it out of the jar, so the one jar builds with any Maven and, on
 * Maven 4, links to Maven's own class. Only the members the dispatcher uses,
 * with the same signatures (checked on Maven 4 by TestMaven4Dispatcher).
 */
public interface Dispatcher {
    EncryptPayload encrypt(String str, Map<String, String> attributes, Map<String, String> config) throws SecDispatcherException;

    String decrypt(String str, Map<String, String> attributes, Map<String, String> config) throws SecDispatcherException;

    SecDispatcher.ValidationResponse validateConfiguration(Map<String, String> config);

    /** Stand-in: what encrypt returns. */
    final class EncryptPayload {
        public EncryptPayload(Map<String, String> attributes, String encrypted) {}
    }
}
