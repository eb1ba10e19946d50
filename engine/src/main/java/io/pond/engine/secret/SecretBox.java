package io.pond.engine.secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.pond.engine.config.SettingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encrypts the credentials Pond stores (connector secrets, API key secrets) with AES-256-GCM. The key comes
 * from {@code POND_SECRET_KEY} (base64 of 32 bytes; every node of a cluster needs the same one) or, when
 * that is unset, from a key file Pond creates under its data folder on the first start.
 */
public class SecretBox {

    private static final Logger LOG = LoggerFactory.getLogger(SecretBox.class);
    /** What every encrypted value starts with (the format's version). */
    public static final String PREFIX = "v1:";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    public SecretBox(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("POND_SECRET_KEY must be 32 bytes, base64-encoded (e.g. openssl rand -base64 32);"
                    + " it has " + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /** The configured key, or the key file (made when missing). */
    public static SecretBox from(String configuredKey, Path dataDir) {
        if (configuredKey != null && !configuredKey.isBlank()) {
            return new SecretBox(decoded(configuredKey, "POND_SECRET_KEY (pond.secret-key)"));
        }
        Path file = dataDir.resolve("secret.key");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(dataDir);
                byte[] fresh = new byte[32];
                RANDOM.nextBytes(fresh);
                Files.writeString(file, Base64.getEncoder().encodeToString(fresh));
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // Windows: the folder's permissions apply
                }
                LOG.warn("Created the key that encrypts stored credentials: {}. Back it up; without it they cannot be read."
                        + " A cluster needs the same key on every node (POND_SECRET_KEY).", file.toAbsolutePath());
            }
            return new SecretBox(decoded(Files.readString(file), "The key file " + file.toAbsolutePath()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the key file " + file.toAbsolutePath(), e);
        }
    }

    /** The key's bytes; the message says what is wrong, never the key. */
    private static byte[] decoded(String base64, String source) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException notBase64) {
            // the decoder's message quotes a character of the key
            throw new SettingException(source + " must be base64 of 32 bytes (e.g. openssl rand -base64 32); it is not"
                    + " base64.");
        }
        if (key.length != 32) {
            throw new SettingException(source + " must be base64 of 32 bytes (e.g. openssl rand -base64 32); it holds "
                    + key.length + " bytes.");
        }
        return key;
    }

    public String encrypt(String plain) {
        if (plain == null) {
            return null;
        }
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    public String decrypt(String sealed) {
        if (sealed == null) {
            return null;
        }
        if (!sealed.startsWith(PREFIX)) {
            throw new IllegalStateException("A stored secret is not in Pond's encrypted form");
        }
        try {
            byte[] all = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, 12));
            return new String(cipher.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("A stored secret cannot be decrypted: was POND_SECRET_KEY (or the key file) changed?", e);
        }
    }
}
