import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Split accuracy of a sticky strangler route over real HTTP: sends one request per key (X-Split-Key: user-1 ..
 * user-N, 32 at a time) and counts the side each answer names in X-Strangler-Side. Prints
 * {@code SPLIT keys=<n> new=<n> share=<percent>}; exits non-zero if any request fails or names no side.
 *
 * <pre>java bench/Split.java http://127.0.0.1:9380/split/x 10000</pre>
 */
public final class Split {

	public static void main(String[] args) throws Exception {
		URI uri = URI.create(args[0]);
		int keys = Integer.parseInt(args[1]);
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		Semaphore inFlight = new Semaphore(32);
		List<Future<String>> sides = new ArrayList<>();
		try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 1; i <= keys; i++) {
				String key = "user-" + i;
				inFlight.acquire();
				sides.add(executor.submit(() -> {
					try {
						HttpResponse<Void> response = client.send(
								HttpRequest.newBuilder(uri).header("X-Split-Key", key).GET().build(),
								HttpResponse.BodyHandlers.discarding());
						if (response.statusCode() != 200) {
							throw new IllegalStateException(key + ": status " + response.statusCode());
						}
						return response.headers().firstValue("X-Strangler-Side")
							.orElseThrow(() -> new IllegalStateException(key + ": no X-Strangler-Side"));
					}
					finally {
						inFlight.release();
					}
				}));
			}
		}
		int onNew = 0;
		for (Future<String> side : sides) {
			if (side.get().equals("new")) {
				onNew++;
			}
		}
		System.out.printf("SPLIT keys=%d new=%d share=%.2f%n", keys, onNew, 100.0 * onNew / keys);
	}

}
