package dev.bffgateway.core.routing;

import java.io.IOException;

import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * A route table in one SSM Parameter Store parameter, the same YAML as a routes file: ops change a weight with
 * {@code aws ssm put-parameter --overwrite}, on Lambda as in a container, where a packaged file would need a
 * deployment. Read afresh on every call; how often it is called is up to the caller (a container's
 * {@link RoutesWatcher} every {@code max-age}, a Lambda invocation that finds its table older), since every read is a
 * billed call against the account's throughput. Its name, {@code ssm:<parameter>}, starts every error about it.
 */
final class SsmRoutesSource implements RoutesSource, AutoCloseable {

	static final String PREFIX = "ssm:";

	private final SsmClient ssm;

	private final String parameter;

	/**
	 * @param ssm the client, with its timeouts set; closed with this source
	 * @param parameter the parameter's name (or ARN), e.g. {@code /bff/web-bff/routes}
	 */
	SsmRoutesSource(SsmClient ssm, String parameter) {
		this.ssm = ssm;
		this.parameter = parameter;
	}

	@Override
	public String name() {
		return PREFIX + this.parameter;
	}

	/** @throws IOException for anything the call fails with, so a failed read is a rejected reload, never a crash */
	@Override
	public String read() throws IOException {
		try {
			// a SecureString is decrypted (the role needs kms:Decrypt on its key); a String ignores the flag
			return this.ssm.getParameter((get) -> get.name(this.parameter).withDecryption(true)).parameter().value();
		}
		catch (ParameterNotFoundException ex) {
			throw new IOException("no such parameter", ex);
		}
		catch (AbortedException ex) {
			throw new IOException("the read was interrupted", ex);
		}
		catch (SdkException ex) {
			throw new IOException(ex.getMessage(), ex);
		}
	}

	@Override
	public void close() {
		this.ssm.close();
	}

}
