package io.imgstream.domain;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.zip.CRC32;

/**
 * An API key in the GitHub token scheme: {@code isk_} + 43 base62 characters (256 random bits) +
 * 6 base62 characters of CRC32 checksum. A key with a wrong shape or checksum is refused without a
 * database lookup; only the SHA-256 of a key is ever stored.
 */
public final class ApiKey {

    public static final String PREFIX = "isk_";
    static final int SECRET_LENGTH = 43;
    static final int CHECKSUM_LENGTH = 6;
    public static final int LENGTH = PREFIX.length() + SECRET_LENGTH + CHECKSUM_LENGTH;
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final BigInteger BASE = BigInteger.valueOf(62);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String value;

    private ApiKey(String value) {
        this.value = value;
    }

    /** A new random key. */
    public static ApiKey generate() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String body = PREFIX + base62(new BigInteger(1, secret), SECRET_LENGTH);
        return new ApiKey(body + checksum(body));
    }

    /**
     * Checks the shape and checksum of a presented key.
     *
     * @return the key, or {@code null} when it is malformed
     */
    public static ApiKey parseOrNull(String presented) {
        if (presented == null || presented.length() != LENGTH || !presented.startsWith(PREFIX)) {
            return null;
        }
        for (int i = PREFIX.length(); i < LENGTH; i++) {
            if (ALPHABET.indexOf(presented.charAt(i)) < 0) {
                return null;
            }
        }
        String body = presented.substring(0, LENGTH - CHECKSUM_LENGTH);
        String sum = presented.substring(LENGTH - CHECKSUM_LENGTH);
        return checksum(body).equals(sum) ? new ApiKey(presented) : null;
    }

    /** The SHA-256 of the key, the only form in which it is stored. */
    public byte[] hash() {
        return SHA_256.get().digest(value.getBytes(StandardCharsets.US_ASCII)); // digest() also resets it
    }

    /** One digest per thread: every authenticated request hashes a key, and a provider lookup per call showed up. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    });

    /** A short, non-secret hint for listings: the prefix and the first four secret characters. */
    public String hint() {
        return value.substring(0, PREFIX.length() + 4) + "…";
    }

    /** The key itself; shown to its owner once, at creation. */
    public String reveal() {
        return value;
    }

    /** Compares two hashes in time independent of where they differ. */
    public static boolean hashesMatch(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    static String checksum(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        long n = crc.getValue(); // 32 bits: plain long arithmetic, same digits as the BigInteger form
        char[] out = new char[CHECKSUM_LENGTH];
        for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
            out[i] = ALPHABET.charAt((int) (n % 62));
            n /= 62;
        }
        return new String(out);
    }

    private static String base62(BigInteger n, int width) {
        StringBuilder out = new StringBuilder();
        while (n.signum() > 0) {
            BigInteger[] qr = n.divideAndRemainder(BASE);
            out.append(ALPHABET.charAt(qr[1].intValue()));
            n = qr[0];
        }
        while (out.length() < width) {
            out.append('0');
        }
        return out.reverse().toString();
    }

    @Override
    public String toString() {
        return hint();
    }
}
