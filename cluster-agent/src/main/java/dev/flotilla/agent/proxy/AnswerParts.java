package dev.flotilla.agent.proxy;

import com.google.protobuf.Message;
import dev.flotilla.proto.ResourceProxyLimits;
import dev.flotilla.proto.agent.v1.LogLine;
import dev.flotilla.proto.agent.v1.ObjectDiff;
import dev.flotilla.proto.agent.v1.ObjectEvent;
import dev.flotilla.proto.agent.v1.ProxiedObject;
import dev.flotilla.proto.agent.v1.ResourceResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts one answer into ResourceResponse parts under {@link ResourceProxyLimits#PART_BYTES} each (an
 * item larger than that travels alone), and refuses an answer larger than {@link
 * ResourceProxyLimits#MAX_ANSWER_BYTES} altogether rather than sending part of it. Pure.
 */
final class AnswerParts {

  private AnswerParts() {}

  /**
   * @param firstPart the number of the first part (a follow continues counting)
   * @param last whether the final part ends the answer
   */
  static List<ResourceResponse> split(
      String id, String revision, List<? extends Message> items, int firstPart, boolean last) {
    long total = 0;
    for (Message m : items) {
      total += m.getSerializedSize();
    }
    if (total > ResourceProxyLimits.MAX_ANSWER_BYTES) {
      throw new ProxyException(
          "RESOURCE_EXHAUSTED",
          "the answer is "
              + total
              + " bytes, over the agent's limit of "
              + ResourceProxyLimits.MAX_ANSWER_BYTES
              + " bytes: ask for less (one object, fewer log lines)");
    }
    List<ResourceResponse> parts = new ArrayList<>();
    ResourceResponse.Builder part = start(id, revision, firstPart);
    long size = 0;
    for (Message m : items) {
      int s = m.getSerializedSize();
      if (size > 0 && size + s > ResourceProxyLimits.PART_BYTES) {
        parts.add(part.build());
        part = start(id, revision, firstPart + parts.size());
        size = 0;
      }
      add(part, m);
      size += s;
    }
    parts.add(part.setLast(last).build());
    return parts;
  }

  /** The answer's only part: a refusal. */
  static ResourceResponse failure(String id, int part, String code, String message) {
    return ResourceResponse.newBuilder()
        .setId(id)
        .setPart(part)
        .setLast(true)
        .setErrorCode(code)
        .setError(message)
        .build();
  }

  private static ResourceResponse.Builder start(String id, String revision, int part) {
    return ResourceResponse.newBuilder().setId(id).setRevision(revision).setPart(part);
  }

  private static void add(ResourceResponse.Builder part, Message m) {
    if (m instanceof ProxiedObject o) {
      part.addObjects(o);
    } else if (m instanceof ObjectDiff d) {
      part.addDiffs(d);
    } else if (m instanceof ObjectEvent e) {
      part.addEvents(e);
    } else if (m instanceof LogLine l) {
      part.addLogLines(l);
    } else {
      throw new IllegalArgumentException("not an answer item: " + m.getClass());
    }
  }
}
