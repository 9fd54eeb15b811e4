import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * The top frames of a JFR recording's execution samples: self (the frame on top of the stack) and inclusive (the
 * frame anywhere on it, counted once per sample), the latter filtered by a package prefix to show where the BFF's
 * own stack spends its time.
 *
 * <pre>java bench/JfrTop.java recording.jfr [top] [inclusive-prefix...]</pre>
 */
public final class JfrTop {

	public static void main(String[] args) throws Exception {
		int top = (args.length > 1) ? Integer.parseInt(args[1]) : 15;
		List<String> prefixes = (args.length > 2) ? List.of(args).subList(2, args.length)
				: List.of("org.springframework", "org.apache", "io.micrometer", "io.github.resilience4j", "dev.bffgateway",
						"brave", "tools.jackson", "jdk.internal.net.http");
		Map<String, Integer> self = new HashMap<>();
		Map<String, Integer> inclusive = new HashMap<>();
		int samples = 0;
		for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
			if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
				continue;
			}
			samples++;
			List<RecordedFrame> frames = event.getStackTrace().getFrames();
			if (!frames.isEmpty()) {
				self.merge(name(frames.get(0)), 1, Integer::sum);
			}
			Set<String> seen = new HashSet<>();
			for (RecordedFrame frame : frames) {
				String name = name(frame);
				if (prefixes.stream().anyMatch(name::startsWith) && seen.add(name)) {
					inclusive.merge(name, 1, Integer::sum);
				}
			}
		}
		System.out.printf("%d execution samples%n%nself (top of stack):%n", samples);
		print(self, samples, top);
		System.out.printf("%ninclusive (anywhere on the stack; %s):%n", String.join(", ", prefixes));
		print(inclusive, samples, top);
	}

	private static String name(RecordedFrame frame) {
		return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
	}

	private static void print(Map<String, Integer> counts, int samples, int top) {
		counts.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
			.limit(top)
			.forEach((e) -> System.out.printf("  %5.1f%%  %s%n", 100.0 * e.getValue() / samples, e.getKey()));
	}

}
