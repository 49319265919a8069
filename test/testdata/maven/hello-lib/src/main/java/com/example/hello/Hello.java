package com.example.hello;

import org.apache.commons.lang3.StringUtils;

/** Greets, with a dependency fetched through CodeArtifact. */
public final class Hello {
    private Hello() {}

    public static String greet(String name) {
        return "Hello, " + StringUtils.capitalize(name) + "!";
    }
}
