package dev.bffgateway.partner;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The partner BFF. Its dashboard composition arrives with a later issue; today it boots with gateway-core. */
@SpringBootApplication
public class PartnerBffApplication {

	public static void main(String[] args) {
		SpringApplication.run(PartnerBffApplication.class, args);
	}

}
