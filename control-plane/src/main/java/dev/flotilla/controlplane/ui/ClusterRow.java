package dev.flotilla.controlplane.ui;

import dev.flotilla.controlplane.cluster.Cluster;

/** One line of the Clusters page: the cluster and its agent, and the Applications it runs. */
public record ClusterRow(Cluster cluster, AppCounts apps) {}
