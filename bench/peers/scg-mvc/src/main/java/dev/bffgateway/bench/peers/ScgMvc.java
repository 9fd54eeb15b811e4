package dev.bffgateway.bench.peers;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Spring Cloud Gateway Server MVC as its starter comes: the one route is in application.properties. */
@SpringBootApplication
public class ScgMvc {
    public static void main(String[] args) {
        SpringApplication.run(ScgMvc.class, args);
    }
}
