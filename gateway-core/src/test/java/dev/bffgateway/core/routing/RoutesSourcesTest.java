package dev.bffgateway.core.routing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ssm.model.GetParameterResponse;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RoutesSourcesTest {

	@TempDir
	Path dir;

	private final ClassLoader loader = RoutesSourcesTest.class.getClassLoader();

	@Test
	void aFileIsReadAfreshOnEveryCall() throws IOException {
		Path file = this.dir.resolve("routes.yml");
		Files.writeString(file, "routes: []\n", StandardCharsets.UTF_8);
		FileRoutesSource source = new FileRoutesSource(file);

		assertThat(source.name()).isEqualTo(file.toString());
		assertThat(source.read()).isEqualTo("routes: []\n");
		Files.writeString(file, "# ünïcode\nroutes: []\n", StandardCharsets.UTF_8);
		assertThat(source.read()).isEqualTo("# ünïcode\nroutes: []\n");
	}

	@Test
	void aMissingFileCannotBeRead() {
		FileRoutesSource source = new FileRoutesSource(this.dir.resolve("absent.yml"));

		assertThatExceptionOfType(IOException.class).isThrownBy(source::read);
	}

	@Test
	void aResourceIsReadFromTheClassPath() throws IOException {
		String expected = new String(
				this.loader.getResourceAsStream("routes/test-routes.yml").readAllBytes(), StandardCharsets.UTF_8);

		assertThat(new ResourceRoutesSource("classpath:routes/test-routes.yml", this.loader).read())
			.isEqualTo(expected)
			.contains("id: packaged");
		assertThat(new ResourceRoutesSource("classpath:/routes/test-routes.yml", this.loader).read())
			.isEqualTo(expected);
		assertThat(new ResourceRoutesSource("classpath:routes/test-routes.yml", this.loader).name())
			.isEqualTo("classpath:routes/test-routes.yml");
	}

	@Test
	void aMissingResourceCannotBeRead() {
		ResourceRoutesSource source = new ResourceRoutesSource("classpath:routes/absent.yml", this.loader);

		assertThatExceptionOfType(IOException.class).isThrownBy(source::read)
			.withMessage("no such resource on the class path");
	}

	@Test
	void aParameterIsReadAfreshWithDecryptionOnEveryCall() throws IOException {
		FakeSsm ssm = new FakeSsm("routes: []\n");
		try (SsmRoutesSource source = new SsmRoutesSource(ssm, "/bff/web-bff/routes")) {
			assertThat(source.name()).isEqualTo("ssm:/bff/web-bff/routes");
			assertThat(source.read()).isEqualTo("routes: []\n");
			ssm.value = "# edited\nroutes: []\n";
			assertThat(source.read()).isEqualTo("# edited\nroutes: []\n");

			assertThat(ssm.requests).hasSize(2).allSatisfy((request) -> {
				assertThat(request.name()).isEqualTo("/bff/web-bff/routes");
				assertThat(request.withDecryption()).as("a SecureString is decrypted").isTrue();
			});
		}
		assertThat(ssm.closed).as("the client goes with the source").isTrue();
	}

	@Test
	void aMissingParameterCannotBeRead() {
		FakeSsm ssm = new FakeSsm(null);
		ssm.failure = ParameterNotFoundException.builder().message("Parameter /bff/absent not found.").build();

		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> new SsmRoutesSource(ssm, "/bff/absent").read())
			.withMessage("no such parameter");
	}

	@Test
	void anyFailedCallIsAnIOExceptionSoAReloadIsRejectedNotCrashed() {
		FakeSsm ssm = new FakeSsm("routes: []");
		ssm.failure = SdkClientException.create("Unable to execute HTTP request: Connection refused");

		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> new SsmRoutesSource(ssm, "/bff/web-bff/routes").read())
			.withMessage("Unable to execute HTTP request: Connection refused");
	}

	/** SSM's GetParameter, answering the value the test sets, or failing as it says. */
	static final class FakeSsm implements SsmClient {

		volatile @Nullable String value;

		volatile @Nullable RuntimeException failure;

		volatile boolean closed;

		final List<GetParameterRequest> requests = new CopyOnWriteArrayList<>();

		FakeSsm(@Nullable String value) {
			this.value = value;
		}

		@Override
		public GetParameterResponse getParameter(GetParameterRequest request) {
			this.requests.add(request);
			RuntimeException failure = this.failure;
			if (failure != null) {
				throw failure;
			}
			return GetParameterResponse.builder()
				.parameter((parameter) -> parameter.name(request.name()).value(this.value))
				.build();
		}

		@Override
		public String serviceName() {
			return SERVICE_NAME;
		}

		@Override
		public void close() {
			this.closed = true;
		}

	}

}
