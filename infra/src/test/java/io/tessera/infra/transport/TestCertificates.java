package io.tessera.infra.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Self-signed certificates for {@code localhost}, made with the JDK's {@code keytool} at test time. */
final class TestCertificates {

    private static final char[] STORE_PASSWORD = "changeit".toCharArray();

    /** A key pair with its certificate, as PKCS12 and as PEM files (certificate, unencrypted PKCS#8 key). */
    record Identity(Path pkcs12, Path certificatePem, Path privateKeyPem, X509Certificate certificate, PrivateKey key) {

        /** The key as an encrypted PKCS#8 PEM file (PBES2, HMAC-SHA256, AES-256). */
        Path encryptedPrivateKeyPem(String password) throws IOException, GeneralSecurityException {
            String algorithm = "PBEWithHmacSHA256AndAES_256";
            byte[] salt = new byte[16];
            byte[] iv = new byte[16];
            SecureRandom random = new SecureRandom();
            random.nextBytes(salt);
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(
                    Cipher.ENCRYPT_MODE,
                    SecretKeyFactory.getInstance(algorithm).generateSecret(new PBEKeySpec(password.toCharArray())),
                    new PBEParameterSpec(salt, 10_000, new IvParameterSpec(iv)));
            // EncryptedPrivateKeyInfo cannot name PBES2 itself on JDK 17: write its DER by hand.
            byte[] pbes2 = {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x05, 0x0D};
            byte[] algorithmId = der(0x30, concat(pbes2, cipher.getParameters().getEncoded()));
            byte[] encrypted = der(0x04, cipher.doFinal(key.getEncoded()));
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der(0x30, concat(algorithmId, encrypted)));
            Path file = privateKeyPem.resolveSibling(privateKeyPem.getFileName() + ".enc.pem");
            Files.writeString(file, pem("ENCRYPTED PRIVATE KEY", info.getEncoded()));
            return file;
        }

        /** A client context that trusts this certificate only. */
        SSLContext trustingIt() throws GeneralSecurityException {
            return context(null, this);
        }

        /** A client context that presents {@code client} and trusts this certificate only. */
        SSLContext trustingItPresenting(Identity client) throws GeneralSecurityException, IOException {
            return context(client, this);
        }
    }

    private TestCertificates() {}

    static Identity selfSigned(Path directory, String name) throws IOException, GeneralSecurityException {
        Files.createDirectories(directory);
        Path pkcs12 = directory.resolve(name + ".p12");
        Files.deleteIfExists(pkcs12);
        keytool(
                "-genkeypair",
                "-alias",
                name,
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-sigalg",
                "SHA256withRSA",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                pkcs12.toString(),
                "-storepass",
                new String(STORE_PASSWORD),
                "-keypass",
                new String(STORE_PASSWORD));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pkcs12)) {
            store.load(in, STORE_PASSWORD);
        }
        X509Certificate certificate = (X509Certificate) store.getCertificate(name);
        PrivateKey key = (PrivateKey) store.getKey(name, STORE_PASSWORD);
        Path certificatePem = directory.resolve(name + ".crt.pem");
        Path keyPem = directory.resolve(name + ".key.pem");
        Files.writeString(certificatePem, pem("CERTIFICATE", certificate.getEncoded()));
        Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
        return new Identity(pkcs12, certificatePem, keyPem, certificate, key);
    }

    private static SSLContext context(Identity client, Identity trusted) throws GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try {
            trust.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        trust.setCertificateEntry("server", trusted.certificate());
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        KeyManagerFactory keyManagers = null;
        if (client != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try {
                keys.load(null, null);
            } catch (IOException e) {
                throw new GeneralSecurityException(e);
            }
            keys.setKeyEntry("client", client.key(), STORE_PASSWORD, new X509Certificate[] {client.certificate()});
            keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, STORE_PASSWORD);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }

    private static byte[] der(int tag, byte[] content) {
        int length = content.length;
        byte[] header;
        if (length < 0x80) {
            header = new byte[] {(byte) tag, (byte) length};
        } else if (length < 0x100) {
            header = new byte[] {(byte) tag, (byte) 0x81, (byte) length};
        } else {
            header = new byte[] {(byte) tag, (byte) 0x82, (byte) (length >> 8), (byte) length};
        }
        return concat(header, content);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void keytool(String... arguments) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>();
        command.add(keytool.toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("keytool interrupted", e);
        }
    }
}
