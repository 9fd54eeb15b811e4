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
 * own stack spends its time; then the same for the bytes allocated ({@code jdk.ObjectAllocationSample}, by its
 * weight): the allocating frame, the first frame of those packages above it, and inclusive.
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
		Map<String, Integer> components = new HashMap<>();
		Map<String, Long> allocSelf = new HashMap<>();
		Map<String, Long> allocOwn = new HashMap<>();
		Map<String, Long> allocInclusive = new HashMap<>();
		long allocated = 0;
		int samples = 0;
		for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
			if (event.getEventType().getName().equals("jdk.ObjectAllocationSample") && event.getStackTrace() != null) {
				long weight = event.getLong("weight");
				allocated += weight;
				List<RecordedFrame> frames = event.getStackTrace().getFrames();
				if (!frames.isEmpty()) {
					allocSelf.merge(name(frames.get(0)) + " (" + event.getClass("objectClass").getName() + ")", weight,
							Long::sum);
				}
				Set<String> seen = new HashSet<>();
				boolean own = false;
				for (RecordedFrame frame : frames) {
					String name = name(frame);
					if (prefixes.stream().anyMatch(name::startsWith) && seen.add(name)) {
						if (!own) {
							allocOwn.merge(name, weight, Long::sum);
							own = true;
						}
						allocInclusive.merge(name, weight, Long::sum);
					}
				}
				continue;
			}
			if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
				continue;
			}
			samples++;
			List<RecordedFrame> frames = event.getStackTrace().getFrames();
			components.merge(component(frames), 1, Integer::sum);
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
		System.out.printf("%nby component (the frame nearest the top that belongs to one):%n");
		print(components, samples, top);
		if (allocated > 0) {
			System.out.printf("%n%d MiB allocated (sampled weight)%n%nallocating frame (object class):%n", allocated >> 20);
			print(allocSelf, allocated, top);
			System.out.printf("%nfirst frame of %s above it:%n", String.join(", ", prefixes));
			print(allocOwn, allocated, top);
			System.out.printf("%ninclusive:%n");
			print(allocInclusive, allocated, top);
		}
	}

	/** Components by package prefix, most specific first: a sample is its top-most frame's component. */
	private static final List<Map.Entry<String, String>> COMPONENTS = List.of(
			Map.entry("org.springframework.cloud.gateway", "Gateway MVC"),
			Map.entry("org.springframework.security", "Spring Security"),
			Map.entry("dev.bffgateway.core.security", "BFF security boundary"),
			Map.entry("dev.bffgateway", "BFF (other)"), Map.entry("io.micrometer", "Micrometer observation/metrics"),
			Map.entry("brave", "Brave tracing"), Map.entry("org.springframework.web.filter.ServerHttpObservationFilter",
					"Micrometer observation/metrics"),
			Map.entry("org.springframework.boot.micrometer", "Micrometer observation/metrics"),
			Map.entry("org.springframework.web.client", "Spring RestClient"),
			Map.entry("org.springframework.http.client", "Spring RestClient"),
			Map.entry("org.springframework.web.servlet", "Spring MVC dispatch"),
			Map.entry("org.springframework.util.LinkedCaseInsensitiveMap", "Spring HttpHeaders"),
			Map.entry("org.springframework.util.MultiValueMapAdapter", "Spring HttpHeaders"),
			Map.entry("org.springframework.http", "Spring HttpHeaders"),
			Map.entry("org.springframework", "Spring (other: web filters, headers, util)"),
			Map.entry("org.apache.hc", "Apache HttpClient"), Map.entry("io.github.resilience4j", "Resilience4j"),
			Map.entry("org.apache.catalina", "Tomcat"), Map.entry("org.apache.coyote", "Tomcat"),
			Map.entry("org.apache.tomcat", "Tomcat"), Map.entry("jakarta.servlet", "Tomcat"),
			Map.entry("jdk.jfr", "JFR"), Map.entry("sun.nio", "JDK I/O"), Map.entry("java.net", "JDK I/O"));

	private static String component(List<RecordedFrame> frames) {
		for (RecordedFrame frame : frames) {
			String type = frame.getMethod().getType().getName();
			for (Map.Entry<String, String> c : COMPONENTS) {
				if (type.startsWith(c.getKey())) {
					return c.getValue();
				}
			}
		}
		return "JDK/VM only (GC, JIT, carrier threads)";
	}

	private static String name(RecordedFrame frame) {
		return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
	}

	private static <N extends Number> void print(Map<String, N> counts, long samples, int top) {
		counts.entrySet()
			.stream()
			.sorted(Map.Entry.<String, N>comparingByValue(java.util.Comparator.comparingLong(Number::longValue)).reversed())
			.limit(top)
			.forEach((e) -> System.out.printf("  %5.1f%%  %s%n", 100.0 * e.getValue().longValue() / samples, e.getKey()));
	}

}
