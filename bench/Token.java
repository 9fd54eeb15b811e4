import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The bench's identity provider, JDK only: a fresh RSA key pair, its public key written to
 * {@code <dir>/jwt-public.pem} (X.509 SubjectPublicKeyInfo PEM, what {@code gateway.security.jwt.public-key-location}
 * reads), and one RS256 JWT printed on stdout: sub {@value #SUBJECT}, iss {@value #ISSUER}, aud {@value #AUDIENCE},
 * scope {@code dashboard:read}, valid for two hours. bench/lib.sh starts every BFF with that issuer, audience and key.
 *
 * <pre>java bench/Token.java /tmp/work</pre>
 */
public final class Token {

	static final String ISSUER = "https://bench.bff.example";

	static final String AUDIENCE = "bff-bench";

	static final String SUBJECT = "u-42";

	public static void main(String[] args) throws Exception {
		if (args.length != 1) {
			System.err.println("usage: java bench/Token.java <dir>   (writes <dir>/jwt-public.pem, prints a JWT)");
			System.exit(2);
		}
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		KeyPair keys = generator.generateKeyPair();

		String pem = "-----BEGIN PUBLIC KEY-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
					.encodeToString(keys.getPublic().getEncoded())
				+ "\n-----END PUBLIC KEY-----\n";
		Path dir = Path.of(args[0]);
		Files.createDirectories(dir);
		Files.writeString(dir.resolve("jwt-public.pem"), pem, StandardCharsets.US_ASCII);

		long now = Instant.now().getEpochSecond();
		String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
		String claims = "{\"sub\":\"" + SUBJECT + "\",\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE
				+ "\",\"scope\":\"dashboard:read\",\"iat\":" + now + ",\"exp\":" + (now + Duration.ofHours(2).toSeconds())
				+ "}";
		String signingInput = base64Url(header.getBytes(StandardCharsets.UTF_8)) + "."
				+ base64Url(claims.getBytes(StandardCharsets.UTF_8));
		Signature rs256 = Signature.getInstance("SHA256withRSA");
		rs256.initSign(keys.getPrivate());
		rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
		System.out.println(signingInput + "." + base64Url(rs256.sign()));
	}

	private static String base64Url(byte[] bytes) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
