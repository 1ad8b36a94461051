package dev.parquetingest.runtime;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The autoscaling policy of {@code workers(min, max)} on a shared source, evaluated by the run's
 * own thread every scale interval: add one worker if the workers were idle under 20 % of the
 * interval, the backlog is above {@value #BACKLOG_PER_WORKER} records per worker or growing (or
 * unknown), process CPU is under 85 % and the open files hold under 75 % of the memory budget;
 * retire the newest worker if they were idle over 70 % and the backlog is low. One step per
 * interval, then one interval of rest. Used by one thread.
 */
final class Autoscaler {
  private static final Logger LOG = LoggerFactory.getLogger(Autoscaler.class);
  static final long BACKLOG_PER_WORKER = 1_000;

  /** Starts a new lane on a new reader of the shared source. */
  interface LaneStarter {
    Lane startNew();
  }

  private final RunContext run;
  private final LaneStarter starter;
  private final long intervalNanos;
  private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
  private long lastNanos;
  private long lastBacklog = -1;
  private boolean resting;
  private int events;

  /** Lanes this scaler started, newest first: the first to retire. */
  private final ArrayDeque<Lane> added = new ArrayDeque<>();

  Autoscaler(RunContext run, LaneStarter starter) {
    this.run = run;
    this.starter = starter;
    this.intervalNanos = run.config.scaleInterval().toNanos();
    this.lastNanos = run.config.clock().nanoTime();
    for (Lane lane : run.lanes) {
      lane.idleAtScale = lane.stats.publishedIdleNanos;
    }
  }

  /** Times a worker was added or retired. */
  int events() {
    return events;
  }

  /** Returns how many lanes it started (0 or 1). */
  int tick() {
    long now = run.config.clock().nanoTime();
    long elapsed = now - lastNanos;
    if (elapsed < intervalNanos) {
      return 0;
    }
    lastNanos = now;
    List<Lane> active = new ArrayList<>();
    long idle = 0;
    for (Lane lane : run.lanes) {
      long i = lane.stats.publishedIdleNanos;
      if (!lane.done && !lane.retire) {
        active.add(lane);
        idle += Math.min(elapsed, i - lane.idleAtScale);
      }
      lane.idleAtScale = i;
    }
    long backlog = run.shared.backlog();
    long previous = lastBacklog;
    lastBacklog = backlog;
    if (resting || active.isEmpty()) {
      resting = false;
      return 0;
    }
    int n = active.size();
    double idleShare = idle / ((double) elapsed * n);
    double cpu = processCpu();
    double memory = run.budget.share();
    boolean backlogHigh = backlog < 0 || backlog > BACKLOG_PER_WORKER * n;
    boolean backlogGrowing = backlog >= 0 && previous >= 0 && backlog > previous;
    String why =
        String.format(
            Locale.ROOT,
            "idle %.0f %%, backlog %d (was %d), CPU %.0f %%, memory %.0f %% of budget",
            idleShare * 100,
            backlog,
            previous,
            cpu * 100,
            memory * 100);
    if (n < run.config.workers()
        && idleShare < 0.2
        && (backlogHigh || backlogGrowing)
        && cpu < 0.85
        && memory < 0.75) {
      LOG.info("Scaling workers {} -> {}: {}", n, n + 1, why);
      Lane lane = starter.startNew();
      added.push(lane);
      events++;
      resting = true;
      return 1;
    }
    if (n > run.config.minWorkers() && idleShare > 0.7 && (backlog < 0 || !backlogHigh)) {
      Lane lane = added.isEmpty() ? active.get(active.size() - 1) : added.pop();
      lane.retire = true;
      LOG.info("Scaling workers {} -> {}: {}", n, n - 1, why);
      events++;
      resting = true;
    }
    return 0;
  }

  /** The process's share of all CPUs over the last moments, or 0 if the JVM cannot tell. */
  private double processCpu() {
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      double load = ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuLoad();
      return load < 0 ? 0 : load;
    }
    return 0;
  }
}
