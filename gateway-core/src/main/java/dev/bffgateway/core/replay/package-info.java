/**
 * Store and replay: a critical write (a route's {@code on-unavailable: store}) that no side can take is stored and
 * answered {@code 202 Accepted}, then replayed, once, when the side can take it again. A DynamoDB item per request
 * is the source of truth (its status, attempts, owner); an SQS FIFO message (grouped by the route's sticky key,
 * so one user's writes stay in order) triggers its replay. {@link dev.bffgateway.core.replay.CriticalWrites} is what
 * the proxy asks; {@code GET /requests/{id}} answers a stored request's status to its owner; the replay runs in a
 * container's poller or in a Lambda function fed by the queue.
 */
@NullMarked
package dev.bffgateway.core.replay;

import org.jspecify.annotations.NullMarked;
