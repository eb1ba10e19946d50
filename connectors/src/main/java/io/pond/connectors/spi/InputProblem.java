package io.pond.connectors.spi;

/** Something wrong with one input, said in English and Chinese. */
public record InputProblem(String input, String messageEn, String messageZh) {
}
