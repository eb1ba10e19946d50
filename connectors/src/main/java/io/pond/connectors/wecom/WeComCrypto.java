package io.pond.connectors.wecom;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * WeCom's callback security (wecom-contract.md §6.2): the SHA-1 msg_signature over (token, timestamp, nonce,
 * message), and AES-256-CBC with the key from the EncodingAESKey, PKCS#7 padded to 32 bytes.
 */
public final class WeComCrypto {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private final String token;
    private final byte[] key;
    private final String receiveId;

    public WeComCrypto(String token, String encodingAesKey, String receiveId) {
        if (encodingAesKey == null || encodingAesKey.length() != 43) {
            throw new IllegalArgumentException("The EncodingAESKey has 43 characters");
        }
        this.token = token;
        this.key = Base64.getDecoder().decode(encodingAesKey + "=");
        this.receiveId = receiveId;
    }

    public String signature(String timestamp, String nonce, String message) {
        String[] parts = {token, timestamp, nonce, message};
        Arrays.sort(parts);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(String.join("", parts).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the signature is the one WeCom computes; compared in constant time. */
    public boolean verify(String signature, String timestamp, String nonce, String message) {
        if (signature == null || timestamp == null || nonce == null || message == null) {
            return false;
        }
        return MessageDigest.isEqual(signature(timestamp, nonce, message).getBytes(StandardCharsets.UTF_8),
                signature.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    }

    public String encrypt(String message) {
        return encrypt(message, randomPrefix());
    }

    /** With a given 16-character random prefix, to reproduce the contract's test vector. */
    public String encrypt(String message, String random) {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        byte[] id = receiveId.getBytes(StandardCharsets.UTF_8);
        byte[] prefix = random.getBytes(StandardCharsets.UTF_8);
        int unpadded = prefix.length + 4 + text.length + id.length;
        int pad = 32 - unpadded % 32;
        ByteBuffer plain = ByteBuffer.allocate(unpadded + pad).put(prefix).putInt(text.length).put(text).put(id);
        for (int i = 0; i < pad; i++) {
            plain.put((byte) pad);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(key, 0, 16));
            return Base64.getEncoder().encodeToString(cipher.doFinal(plain.array()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The message inside; refuses a message for another receiver (corp). */
    public String decrypt(String encrypted) {
        byte[] plain;
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(key, 0, 16));
            plain = cipher.doFinal(Base64.getDecoder().decode(encrypted));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("The message cannot be decrypted with this EncodingAESKey", e);
        }
        int pad = plain[plain.length - 1] & 0xff;
        if (pad < 1 || pad > 32 || plain.length < 20 + pad) {
            throw new IllegalArgumentException("The decrypted message has a bad padding");
        }
        int length = ByteBuffer.wrap(plain, 16, 4).getInt();
        if (length < 0 || 20 + length > plain.length - pad) {
            throw new IllegalArgumentException("The decrypted message has a bad length");
        }
        String message = new String(plain, 20, length, StandardCharsets.UTF_8);
        String receiver = new String(plain, 20 + length, plain.length - pad - 20 - length, StandardCharsets.UTF_8);
        if (receiveId != null && !receiveId.isEmpty() && !receiveId.equals(receiver)) {
            throw new IllegalArgumentException("The message is for " + receiver + ", not for " + receiveId);
        }
        return message;
    }

    private static String randomPrefix() {
        StringBuilder prefix = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            prefix.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return prefix.toString();
    }
}
