import AgentTelemetry

/// One measurement a report shows: an id, a title, a query over catalog metrics and a unit.
package struct ReportMeasurement: Sendable {
    /// The stable identifier (`request_latency_p95`), used in JSON and CSV.
    package let id: String
    /// The readable name.
    package let title: String
    /// The catalog category (section) it belongs to.
    package let category: MetricCategory
    /// The unit of the reported value.
    package let unit: ReportUnit
    /// Builds the query for a namespace.
    let makeQuery: @Sendable (_ name: (String) -> String) -> ReportQuery

    /// The factor from the query's base unit (seconds, ratio, bytes) to ``unit``.
    package var factor: Double {
        switch unit {
        case .milliseconds: 1000
        case .percent: 100
        case .mebibytes: 1.0 / 1_048_576
        default: 1
        }
    }

    init(_ id: String, _ title: String, _ category: MetricCategory, _ unit: ReportUnit,
         _ makeQuery: @escaping @Sendable (_ name: (String) -> String) -> ReportQuery) {
        self.id = id
        self.title = title
        self.category = category
        self.unit = unit
        self.makeQuery = makeQuery
    }

    /// The query with catalog names rendered under `namespace` (`agent_` names are renamed, others kept).
    package func query(namespace: String) -> ReportQuery {
        makeQuery { catalogName in
            MetricCatalog.descriptor(named: catalogName)?.name(namespace: namespace) ?? catalogName
        }
    }
}
