package dev.bffgateway.core.routing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

}
