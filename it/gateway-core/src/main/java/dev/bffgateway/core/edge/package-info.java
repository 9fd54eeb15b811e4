/**
 * What differs between the container edge (embedded Tomcat) and the Lambda edge (API Gateway events into
 * the same MVC app through Spring Cloud Function's ServerlessMVC): only carrying requests in and out, and
 * how metrics leave the process. No decision is made here.
 */
@NullMarked
package dev.bffgateway.core.edge;

import org.jspecify.annotations.NullMarked;
