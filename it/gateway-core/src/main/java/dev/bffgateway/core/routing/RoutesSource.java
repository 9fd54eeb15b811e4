package dev.bffgateway.core.routing;

import java.io.IOException;

/**
 * Where a BFF's route table comes from. The file source is the first; a Parameter Store or AppConfig source
 * plugs in beside it by implementing this and being declared as a bean.
 */
public interface RoutesSource {

	/** @return a name for messages, e.g. {@code routes/web-bff.yml} */
	String name();

	/**
	 * @return the current content (YAML)
	 * @throws IOException if it cannot be read
	 */
	String read() throws IOException;

}
