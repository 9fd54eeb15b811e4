package dev.bffgateway.mobile;

import dev.bffgateway.core.demo.DemoDownstreams;

import org.springframework.boot.SpringApplication;

/**
 * The mobile BFF with in-process demo downstreams (README). Lives in test sources so the stubs never ship.
 * The stubs listen on {@code -Ddemo.port} (default 8089; run one demo at a time, or give each its own port).
 */
public final class DemoMobileBff {

	private DemoMobileBff() {
	}

	public static void main(String[] args) throws Exception {
		DemoDownstreams.startForDemo();
		SpringApplication.run(MobileBffApplication.class, args);
	}

}
