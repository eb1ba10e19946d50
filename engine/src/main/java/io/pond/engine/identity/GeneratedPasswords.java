package io.pond.engine.identity;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Random passwords that meet Camunda's default password policy and are safe to paste into a shell. */
public final class GeneratedPasswords {

    private static final String UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private static final String LOWER = "abcdefghijkmnopqrstuvwxyz";
    private static final String DIGITS = "23456789";
    private static final String SPECIAL = "%+-=@_";
    private static final String ALL = UPPER + LOWER + DIGITS + SPECIAL;
    private static final SecureRandom RANDOM = new SecureRandom();

    private GeneratedPasswords() {
    }

    /** A password of {@code length} characters (at least 4) with upper, lower, digit and special characters. */
    public static String generate(int length) {
        if (length < 4) {
            throw new IllegalArgumentException("A generated password needs at least 4 characters, not " + length);
        }
        List<Character> chars = new ArrayList<>(length);
        for (String required : List.of(UPPER, LOWER, DIGITS, SPECIAL)) {
            chars.add(pick(required));
        }
        while (chars.size() < length) {
            chars.add(pick(ALL));
        }
        Collections.shuffle(chars, RANDOM);
        StringBuilder password = new StringBuilder(length);
        chars.forEach(password::append);
        return password.toString();
    }

    private static char pick(String alphabet) {
        return alphabet.charAt(RANDOM.nextInt(alphabet.length()));
    }
}
