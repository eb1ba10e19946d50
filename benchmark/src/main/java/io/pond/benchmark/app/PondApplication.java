package io.pond.benchmark.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Pond's engine as the benchmarks run it: the auto-configured product, nothing of the benchmark's own. */
@SpringBootApplication
public class PondApplication {
}
