package io.syncexec.local;

import io.syncexec.connector.ConnectorUrls;
import io.syncexec.standins.RepositoryRoot;
import io.syncexec.standins.StandIns;
import io.syncexec.stepfunctions.engine.Scheduler;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * How to start a {@link LocalCloud}.
 *
 * @param root             the repository root (template.yaml, statemachine/); null: {@link RepositoryRoot#find()}
 * @param parameters       template parameter values, over their defaults
 * @param environment      function environment variables to replace, by name (e.g. {@code RETRY_DELAY_SECONDS=0});
 *                         each must be one the template sets
 * @param clock            the functions' clock, and the Step Functions stand-in's when no scheduler is given
 *                         (default the system clock; the local mode's {@code LOCAL_NOW} starts it at a chosen instant)
 * @param connectorUrls    where the functions' connectors may send requests (default strict, as on AWS)
 * @param scheduler        the Step Functions stand-in's time (Wait states, timeouts, schedule rules); null: {@code clock}
 * @param pollersPerQueue  concurrent pollers per SQS event source (default 2)
 * @param log              where function logs and the start line go (default System.out)
 */
public record LocalCloudOptions(Path root, Map<String, String> parameters, Map<String, String> environment,
                                Clock clock, ConnectorUrls connectorUrls, Scheduler scheduler,
                                int pollersPerQueue, PrintStream log) {

    public LocalCloudOptions {
        parameters = Map.copyOf(parameters);
        environment = Map.copyOf(environment);
    }

    public static LocalCloudOptions defaults() {
        return new LocalCloudOptions(null, Map.of(), Map.of(), Clock.systemUTC(), ConnectorUrls.STRICT, null, 2, System.out);
    }

    public LocalCloudOptions withRoot(Path value) {
        return new LocalCloudOptions(value, parameters, environment, clock, connectorUrls, scheduler, pollersPerQueue, log);
    }

    public LocalCloudOptions withParameter(String name, String value) {
        return withParameters(with(parameters, name, value));
    }

    public LocalCloudOptions withParameters(Map<String, String> values) {
        return new LocalCloudOptions(root, values, environment, clock, connectorUrls, scheduler, pollersPerQueue, log);
    }

    public LocalCloudOptions withEnvironment(String name, String value) {
        return withEnvironment(with(environment, name, value));
    }

    public LocalCloudOptions withEnvironment(Map<String, String> values) {
        return new LocalCloudOptions(root, parameters, values, clock, connectorUrls, scheduler, pollersPerQueue, log);
    }

    public LocalCloudOptions withClock(Clock value) {
        return new LocalCloudOptions(root, parameters, environment, value, connectorUrls, scheduler, pollersPerQueue, log);
    }

    public LocalCloudOptions withConnectorUrls(ConnectorUrls value) {
        return new LocalCloudOptions(root, parameters, environment, clock, value, scheduler, pollersPerQueue, log);
    }

    public LocalCloudOptions withScheduler(Scheduler value) {
        return new LocalCloudOptions(root, parameters, environment, clock, connectorUrls, value, pollersPerQueue, log);
    }

    public LocalCloudOptions withPollersPerQueue(int value) {
        return new LocalCloudOptions(root, parameters, environment, clock, connectorUrls, scheduler, value, log);
    }


    public LocalCloudOptions withLog(PrintStream value) {
        return new LocalCloudOptions(root, parameters, environment, clock, connectorUrls, scheduler, pollersPerQueue, value);
    }

    private static Map<String, String> with(Map<String, String> map, String name, String value) {
        Map<String, String> copy = new HashMap<>(map);
        copy.put(name, value);
        return copy;
    }
}
