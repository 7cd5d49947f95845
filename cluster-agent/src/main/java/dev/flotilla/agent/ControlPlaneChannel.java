package dev.flotilla.agent;

import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.ClientCall;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntBinaryOperator;

/**
 * The channel to a control plane given as one address or several ({@code host1:port,host2:port}:
 * the replicas of one control plane when no load balancer stands in front of them). Each agent
 * starts at a random replica and, each time its stream ends, moves to another one picked at random,
 * so the agents of a replica that died spread over the live ones instead of all landing on the next
 * in the list. One address (a Kubernetes Service, a load balancer, DNS with several records) is one
 * ordinary channel.
 */
final class ControlPlaneChannel extends ManagedChannel {

  /** Picks an index in [0, bound) other than {@code current} (bound is at least 2). */
  static final IntBinaryOperator RANDOM_OTHER =
      (current, bound) -> {
        int pick = ThreadLocalRandom.current().nextInt(bound - 1);
        return pick >= current ? pick + 1 : pick;
      };

  private final List<ManagedChannel> channels;
  private final IntBinaryOperator other;
  private volatile int current;

  ControlPlaneChannel(List<ManagedChannel> channels, int first, IntBinaryOperator other) {
    if (channels.isEmpty()) {
      throw new IllegalArgumentException("no control-plane address");
    }
    this.channels = List.copyOf(channels);
    this.current = first;
    this.other = other;
  }

  /** Channels to each address of {@code targets} (comma-separated, each as {@code HOST:PORT}). */
  static ControlPlaneChannel open(
      String targets,
      ChannelCredentials credentials,
      Function<ManagedChannelBuilder<?>, ManagedChannel> finish) {
    List<ManagedChannel> channels = new ArrayList<>();
    for (String target : targets(targets)) {
      channels.add(finish.apply(Grpc.newChannelBuilder(target, credentials)));
    }
    return new ControlPlaneChannel(
        channels, ThreadLocalRandom.current().nextInt(channels.size()), RANDOM_OTHER);
  }

  /** The addresses of a {@code --control-plane} value, each without {@code https://} or a slash. */
  static List<String> targets(String value) {
    List<String> out = new ArrayList<>();
    for (String part : value.split(",")) {
      String t = part.trim();
      if (t.startsWith(AgentConfig.HTTPS)) {
        t = t.substring(AgentConfig.HTTPS.length());
      }
      if (t.endsWith("/")) {
        t = t.substring(0, t.length() - 1);
      }
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("--control-plane: no address in '" + value + "'");
    }
    return out;
  }

  /** The stream ended: the next one goes to another address (when there are several). */
  void moveOn() {
    if (channels.size() > 1) {
      current = other.applyAsInt(current, channels.size());
    }
  }

  /** The index of the address the next stream goes to. */
  int current() {
    return current;
  }

  @Override
  public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
    return channels.get(current).newCall(method, options);
  }

  @Override
  public String authority() {
    return channels.get(current).authority();
  }

  @Override
  public ManagedChannel shutdown() {
    channels.forEach(ManagedChannel::shutdown);
    return this;
  }

  @Override
  public boolean isShutdown() {
    return channels.stream().allMatch(ManagedChannel::isShutdown);
  }

  @Override
  public boolean isTerminated() {
    return channels.stream().allMatch(ManagedChannel::isTerminated);
  }

  @Override
  public ManagedChannel shutdownNow() {
    channels.forEach(ManagedChannel::shutdownNow);
    return this;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    for (ManagedChannel c : channels) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !c.awaitTermination(left, TimeUnit.NANOSECONDS)) {
        return false;
      }
    }
    return true;
  }
}
