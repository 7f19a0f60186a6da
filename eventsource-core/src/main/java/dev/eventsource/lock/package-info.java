/**
 * Named exclusive locks shared by the instances of an application on one database: the port
 * ({@link dev.eventsource.lock.ExclusiveLocks}, handed out by a backend's {@code locks()}) that keeps
 * one relay, or one subscription, running per name. Depends on nothing but the store's exceptions,
 * so that both the backends and the subscription machinery can use it.
 */
package dev.eventsource.lock;
