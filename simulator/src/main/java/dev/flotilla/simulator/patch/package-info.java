/**
 * The PATCH engines of a SIMULATED API server, pure (Jackson trees in, Jackson trees out; no HTTP,
 * no store): JSON Patch, JSON Merge Patch, strategic merge patch with the built-in kinds' merge
 * keys, and a simplified server-side apply with managedFields. The entry point is {@link
 * dev.flotilla.simulator.patch.PatchEngine}; refusals are {@link
 * dev.flotilla.simulator.patch.PatchException}s carrying the Kubernetes Status code and reason.
 */
package dev.flotilla.simulator.patch;
