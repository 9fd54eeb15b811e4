package dev.bffgateway.bench.peers;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Spring Cloud Gateway (WebFlux) as its starter comes: the one route is in application.properties. */
@SpringBootApplication
public class ScgWebFlux {
    public static void main(String[] args) {
        SpringApplication.run(ScgWebFlux.class, args);
    }
}
