package dev.bffgateway.mobile;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The mobile BFF. Its dashboard composition arrives with a later issue; today it boots with gateway-core. */
@SpringBootApplication
public class MobileBffApplication {

	public static void main(String[] args) {
		SpringApplication.run(MobileBffApplication.class, args);
	}

}
