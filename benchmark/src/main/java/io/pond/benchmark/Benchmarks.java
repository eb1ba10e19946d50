package io.pond.benchmark;

import java.util.Arrays;

/**
 * {@code java -jar pond-benchmark.jar [customer-data|journeys] [--options]}: runs one benchmark; without a name,
 * the customer-data one.
 */
public final class Benchmarks {

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 && !args[0].startsWith("--") ? args[0] : "customer-data";
        String[] options = args.length > 0 && !args[0].startsWith("--") ? Arrays.copyOfRange(args, 1, args.length) : args;
        switch (which) {
            case "customer-data" -> CustomerDataBenchmark.main(options);
            case "journeys" -> JourneyBenchmark.main(options);
            default -> throw new IllegalArgumentException("Unknown benchmark '" + which + "': customer-data or journeys");
        }
    }
}
