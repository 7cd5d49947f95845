package dev.flotilla.core.model;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Argo CD's {@code source.directory}: which files of a plain manifest directory are read.
 *
 * @param include null when absent
 * @param exclude null when absent
 * @param unknown fields the model does not know (jsonnet...), kept as they are
 */
public record Directory(boolean recurse, String include, String exclude, ObjectNode unknown) {

  public Directory {
    unknown = Nodes.copy(unknown);
  }
}
