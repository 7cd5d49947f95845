package dev.flotilla.controlplane.ui;

import dev.flotilla.controlplane.access.Callers;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** One view of the UI beyond Applications: its pages need a session, then it mounts them. */
interface UiView {

  /** The route paths to guard with the session check (and, for POST, the CSRF check). */
  List<String> paths();

  void mount(Router router);

  /** The frame of a page of this session, with {@code active} marked in the navigation. */
  static PageChrome chrome(RoutingContext ctx, String title, String active, boolean live) {
    UiSession session = ctx.get(UiRoutes.SESSION_KEY);
    return new PageChrome(title, Callers.of(ctx).name(), session.csrf(), active, live);
  }
}
