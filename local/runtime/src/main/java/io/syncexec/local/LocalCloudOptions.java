package io.syncexec.local;

import io.syncexec.standins.RepositoryRoot;
import io.syncexec.standins.StandIns;
import io.syncexec.stepfunctions.engine.Scheduler;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * How to start a {@link LocalCloud}.
 *
 * @param root             the repository root (template.yaml, statemachine/); null: {@link RepositoryRoot#find()}
 * @param parameters       template parameter values, over their defaults
 * @param environment      function environment variables to replace, by name (e.g. {@code RETRY_DELAY_SECONDS=0});
 *                         each must be one the template sets
 * @param addedEnvironment variables added to every function's environment: the local mode's own settings, which
 *                         template.yaml never sets (e.g. {@code CONNECTOR_ALLOW_LOOPBACK_HTTP=true})
 * @param scheduler        the Step Functions stand-in's time; null: the wall clock
 * @param pollersPerQueue  concurrent pollers per SQS event source (default 2)
 * @param freshStandIns    start a set of stand-ins of its own (closed with it) instead of the JVM's shared {@link StandIns#get()}
 * @param log              where function logs and the start line go (default System.out)
 */
public record LocalCloudOptions(Path root, Map<String, String> parameters, Map<String, String> environment,
                                Map<String, String> addedEnvironment, Scheduler scheduler, int pollersPerQueue,
                                boolean freshStandIns, PrintStream log) {

    public LocalCloudOptions {
        parameters = Map.copyOf(parameters);
        environment = Map.copyOf(environment);
        addedEnvironment = Map.copyOf(addedEnvironment);
    }

    public static LocalCloudOptions defaults() {
        return new LocalCloudOptions(null, Map.of(), Map.of(), Map.of(), null, 2, false, System.out);
    }

    public LocalCloudOptions withRoot(Path value) {
        return new LocalCloudOptions(value, parameters, environment, addedEnvironment, scheduler, pollersPerQueue, freshStandIns, log);
    }

    public LocalCloudOptions withParameter(String name, String value) {
        return withParameters(with(parameters, name, value));
    }

    public LocalCloudOptions withParameters(Map<String, String> values) {
        return new LocalCloudOptions(root, values, environment, addedEnvironment, scheduler, pollersPerQueue, freshStandIns, log);
    }

    public LocalCloudOptions withEnvironment(String name, String value) {
        return withEnvironment(with(environment, name, value));
    }

    public LocalCloudOptions withEnvironment(Map<String, String> values) {
        return new LocalCloudOptions(root, parameters, values, addedEnvironment, scheduler, pollersPerQueue, freshStandIns, log);
    }

    public LocalCloudOptions withAddedEnvironment(String name, String value) {
        return new LocalCloudOptions(root, parameters, environment, with(addedEnvironment, name, value), scheduler, pollersPerQueue,
                freshStandIns, log);
    }

    public LocalCloudOptions withScheduler(Scheduler value) {
        return new LocalCloudOptions(root, parameters, environment, addedEnvironment, value, pollersPerQueue, freshStandIns, log);
    }

    public LocalCloudOptions withPollersPerQueue(int value) {
        return new LocalCloudOptions(root, parameters, environment, addedEnvironment, scheduler, value, freshStandIns, log);
    }

    public LocalCloudOptions withFreshStandIns(boolean value) {
        return new LocalCloudOptions(root, parameters, environment, addedEnvironment, scheduler, pollersPerQueue, value, log);
    }

    public LocalCloudOptions withLog(PrintStream value) {
        return new LocalCloudOptions(root, parameters, environment, addedEnvironment, scheduler, pollersPerQueue, freshStandIns, value);
    }

    private static Map<String, String> with(Map<String, String> map, String name, String value) {
        Map<String, String> copy = new HashMap<>(map);
        copy.put(name, value);
        return copy;
    }
}
