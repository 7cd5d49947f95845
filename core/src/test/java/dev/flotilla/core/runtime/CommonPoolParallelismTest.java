package dev.flotilla.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommonPoolParallelismTest {

  @ParameterizedTest(name = "{0} CPUs, configured ''{1}'' -> {2}")
  @CsvSource(
      nullValues = "none",
      value = {
        "1, none, 2", // the JDK would use 0 -> 1: a thread per async step
        "2, none, 2", // the JDK would use 1: a thread per async step
        "3, none, none", // the JDK's 2 uses the pool already
        "64, none, none",
        "1, 1, none", // an operator's explicit choice wins, even a small one
        "2, '  ', 2", // blank is not a choice
      })
  void setsParallelismOnlyWhereTheJdkWouldStartAThreadPerTask(
      int cpus, String configured, Integer expected) {
    assertThat(CommonPoolParallelism.choose(cpus, configured))
        .isEqualTo(Optional.ofNullable(expected));
  }
}
