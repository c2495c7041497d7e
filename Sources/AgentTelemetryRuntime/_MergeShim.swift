// TODO-MERGE: delete once the configuration model lands (shutdownTimeout, textfile configuration).
import AgentTelemetryPrometheus
import AgentTelemetry
import Logging

extension RuntimeConfiguration {
    var shutdownTimeout: Duration { .seconds(10) }
}

extension PrometheusTextfileWriter {
    convenience init(registry: MetricRegistry, configuration: (path: String, interval: Duration), logger: Logger) {
        self.init(registry: registry, path: configuration.path, interval: configuration.interval, logger: logger)
    }
}
