package com.example.app;

import com.example.hello.Hello;

/** Uses hello-lib, published to CodeArtifact by the other project. */
public final class App {
    public static void main(String[] args) {
        System.out.println(Hello.greet("codeartifact"));
    }
}
