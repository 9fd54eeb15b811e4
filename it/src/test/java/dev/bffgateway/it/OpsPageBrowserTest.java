package dev.bffgateway.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.bffgateway.web.WebBffApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The ops page in a real browser (Debian's headless Chromium through its chromedriver, no browser download): it shows
 * the weights of the table in force; an operator's "roll back now" moves a route's weight back one step and the page
 * shows it; a wrong token is refused. A screenshot goes to {@code it/target/ops-page.png}. Skipped only where this
 * machine has no Chromium ({@code .ci/run} installs it).
 */
@SpringBootTest(classes = WebBffApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = {
				// SHA-256 of "s3cret-operator-token"
				"gateway.ops.operators.alice=f26be2ad027acb85857d7881fc6ddac147cda8e37af669fa0e2f90b93ac54ac8",
				"gateway.circuits.shared.region=us-east-1" })
class OpsPageBrowserTest extends ContainerTestSupport {

	private static final String TOKEN = "s3cret-operator-token";

	private static final WireMockServer LEGACY = Downstreams.start();

	private static final WireMockServer NEW = Downstreams.start();

	private static final String TABLE = "ops-" + UUID.randomUUID().toString().substring(0, 8);

	private static final Path ROUTES = Strangled.routesFile("web-bff.yml", """
			routes:
			  - id: catalog
			    paths: [/catalog/**]
			    legacy-uri: %1$s
			    new-uri: %2$s
			    weight: 50
			    auth: none
			    shadow:
			      percent: 100
			    promotion:
			      steps: [5, 25, 50, 100]
			      interval: 5m
			      min-requests: 500
			  - id: orders
			    paths: [/orders/**]
			    legacy-uri: %1$s
			    new-uri: %2$s
			    weight: 30
			""".formatted(LEGACY.baseUrl(), NEW.baseUrl()));

	private static WebDriver browser;

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		registry.add("gateway.routes.file", ROUTES::toString);
		registry.add("gateway.circuits.shared.table", () -> TABLE);
		registry.add("gateway.circuits.shared.endpoint", () -> Moto.ENDPOINT);
	}

	@BeforeAll
	static void start() {
		assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")) && Files.isExecutable(Path.of("/usr/bin/chromedriver")),
				"Chromium and its driver are not installed here (apt-get install chromium chromium-driver): the ops page "
						+ "is tested in a real browser");
		try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(URI.create(Moto.ENDPOINT))
			.region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create()).build()) {
			SharedCircuitStateTest.createTable(dynamo, TABLE);
		}
		for (WireMockServer side : new WireMockServer[] { LEGACY, NEW }) {
			side.stubFor(any(anyUrl()).willReturn(okJson("{\"items\":[1,2,3]}")));
		}
		ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium")
			.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
					"--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,1600");
		browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new java.io.File("/usr/bin/chromedriver"))
			.usingAnyFreePort()
			.build(), options);
		browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
	}

	@AfterAll
	static void stop() {
		if (browser != null) {
			browser.quit();
		}
	}

	@Test
	void thePageShowsTheWeightsAndARollbackClickMovesOneAndThePageShowsIt() throws Exception {
		for (int i = 0; i < 20; i++) {
			assertThat(this.bff.get("/catalog/items").status()).isEqualTo(200);
		}
		String ops = "http://127.0.0.1:" + this.managementPort + "/ops";

		browser.get(ops);

		assertThat(browser.getTitle()).isEqualTo("web-bff ops");
		assertThat(weight("catalog")).isEqualTo("50 %");
		assertThat(weight("orders")).isEqualTo("30 %");
		assertThat(browser.getPageSource()).as("self-contained: nothing loaded from elsewhere, no script")
			.doesNotContain("<script").doesNotContain("src=").doesNotContain("<link");
		assertThat(browser.findElement(By.id("route-catalog")).getText()).contains("catalog");

		browser.findElement(By.cssSelector("form[action='/ops/routes/catalog'] input[name=token]")).sendKeys(TOKEN);
		browser.findElement(By.id("rollback-catalog")).click();

		// the click submits the form; the answer is a new page, which a loaded machine may take a while to show
		await().atMost(Duration.ofSeconds(20)).until(() -> !browser.findElements(By.id("notice")).isEmpty());
		assertThat(browser.findElement(By.id("notice")).getText())
			.isEqualTo("Operator alice: rollback-now on route catalog, weight 50 % → 25 %.");
		assertThat(weight("catalog")).isEqualTo("25 %");
		assertThat(browser.getPageSource()).contains("rollback-now").contains("alice");
		Path screenshot = Path.of("target", "ops-page.png");
		Files.write(screenshot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
		assertThat(Files.size(screenshot)).isPositive();

		browser.get(ops);
		assertThat(weight("catalog")).as("kept: the weight lives in the shared table").isEqualTo("25 %");
	}

	@Test
	void anActionWithoutAnOperatorsTokenIsRefusedAndChangesNothing() throws Exception {
		HttpClient client = HttpClient.newHttpClient();
		String ops = "http://127.0.0.1:" + this.managementPort + "/ops/routes/catalog";
		for (String body : new String[] { "action=rollback&token=guess", "action=rollback" }) {
			HttpResponse<String> refused = client.send(HttpRequest.newBuilder(URI.create(ops))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(refused.statusCode()).isEqualTo(403);
			assertThat(refused.body()).contains("Refused");
		}
		HttpResponse<String> publicPort = client.send(HttpRequest.newBuilder(
				URI.create("http://127.0.0.1:" + this.port + "/ops")).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(publicPort.statusCode()).as("never on the public port").isIn(401, 404);
	}

	private static String weight(String route) {
		return browser.findElement(By.cssSelector("td.weight[data-route='" + route + "']")).getText();
	}

}
