package org.codehaus.plexus.components.secdispatcher;

import java.util.List;
import java.util.Map;

/** Compile-time stand-in; see Dispatcher. Only the nested type the dispatcher builds. */
public interface SecDispatcher {
    /** Stand-in: what validateConfiguration returns. */
    final class ValidationResponse {
        /** Stand-in: a report level. */
        public enum Level { INFO, WARNING, ERROR }

        public ValidationResponse(String source, boolean valid, Map<Level, List<String>> report, List<ValidationResponse> subsystems) {}
    }
}
