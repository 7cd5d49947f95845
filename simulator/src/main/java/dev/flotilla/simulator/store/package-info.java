/**
 * The object store of a SIMULATED cluster: the contract ({@link
 * dev.flotilla.simulator.store.ObjectStore}) shared by the API server ({@code simulator.api}) and
 * the controllers ({@code simulator.controller}).
 */
package dev.flotilla.simulator.store;
