package io.pond.engine;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The engine module on its own, as the integration tests start it: no UI. */
@SpringBootApplication
public class EngineTestApplication {

    public static void main(String[] args) {
        SpringApplication.run(EngineTestApplication.class, args);
    }
}
