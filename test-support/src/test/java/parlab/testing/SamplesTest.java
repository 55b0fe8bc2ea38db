package parlab.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** The broken-on-purpose samples never run on their own: found by anything but {@link Samples#run}, they are skipped. */
class SamplesTest {

    @Test
    void aSampleFoundOutsideSamplesRunIsSkipped() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .enableImplicitConfigurationParameters(true)
                .selectors(DiscoverySelectors.selectClass(WatchdogTest.MonitorDeadlock.class))
                .execute();
        assertThat(results.testEvents().started().count()).as("sample tests started").isZero();
        assertThat(results.containerEvents().skipped().list()).as("skipped containers").singleElement()
                .satisfies(e -> assertThat(e.getPayload(String.class)).as("reason the sample was skipped")
                        .hasValueSatisfying(reason -> assertThat(reason).contains("broken-on-purpose sample")));
    }
}
