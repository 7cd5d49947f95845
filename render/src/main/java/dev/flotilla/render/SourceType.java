package dev.flotilla.render;

/** How an Application's source is rendered, as Argo CD names them. */
public enum SourceType {
  DIRECTORY,
  HELM,
  KUSTOMIZE
}
