package dev.flotilla.render;

import com.marcnuri.helm.jni.NativeLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * helm-java's native Helm library as a file, for {@link HelmTemplateMain} to load.
 *
 * <p>helm-java would copy the library (about 90 MB) out of its jar into a new temporary directory
 * at every load, and a process killed at the render deadline never deletes its copy. The agent
 * copies it once, into a directory only it can read and write (so nobody can swap the code it
 * runs), deleted when the agent exits.
 */
final class HelmLibrary {

  private static Path extracted;

  private HelmLibrary() {}

  static synchronized Path path() throws RenderException {
    if (extracted != null && Files.isRegularFile(extracted)) {
      return extracted;
    }
    NativeLibrary library;
    try {
      library = NativeLibrary.getInstance();
    } catch (RuntimeException e) {
      throw new RenderException("Helm is not available to the agent: " + e.getMessage(), e);
    }
    String name = library.getBinaryName();
    try (InputStream in = library.getClass().getResourceAsStream("/" + name)) {
      if (in == null) {
        throw new RenderException(
            "Helm is not available to the agent: " + name + " is missing from its classpath");
      }
      // createTempDirectory makes it owner-only (0700) on POSIX systems.
      Path dir = Files.createTempDirectory("flotilla-helm-");
      dir.toFile().deleteOnExit();
      Path file = dir.resolve(name);
      file.toFile().deleteOnExit();
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      extracted = file;
      return file;
    } catch (IOException e) {
      throw new RenderException("the Helm library could not be extracted: " + e.getMessage(), e);
    }
  }
}
