extension MetricRegistry {
    /// Registers (or returns) the counter family `descriptor` describes, named under `namespace`.
    ///
    /// Never throws: this is how the pipeline's own metrics and the catalog's are registered at
    /// run time. When the registry already holds a family of that name with another shape, or
    /// the namespace makes the name invalid, the problem is logged once and a detached family is
    /// returned: updates to it are kept off every export, and nothing crashes.
    public func counter(_ descriptor: MetricDescriptor, namespace: String = "agent") -> CounterFamily {
        family(descriptor, namespace: namespace, buckets: [])
    }

    /// Registers (or returns) the gauge family `descriptor` describes; never throws (see `counter(_:namespace:)`).
    public func gauge(_ descriptor: MetricDescriptor, namespace: String = "agent") -> GaugeFamily {
        family(descriptor, namespace: namespace, buckets: [])
    }

    /// Registers (or returns) the histogram family `descriptor` describes, with `buckets` instead
    /// of the descriptor's own when given; never throws (see `counter(_:namespace:)`).
    public func histogram(_ descriptor: MetricDescriptor, namespace: String = "agent", buckets: [Double]? = nil) -> HistogramFamily {
        family(descriptor, namespace: namespace, buckets: buckets ?? descriptor.buckets)
    }

    private func family<Series: MetricSeries>(_ d: MetricDescriptor, namespace: String, buckets: [Double]) -> MetricFamily<Series> {
        let info = d.familyInfo(namespace: namespace, buckets: buckets)
        do {
            return try register(info)
        } catch {
            logger.error("metric \(info.name) cannot be registered: \(error); its updates are discarded")
            return MetricFamily<Series>(
                info: info, cardinalityLimit: cardinalityLimit, hub: UpdateHub(),
                health: FamilyHealth(info: info, logger: logger))
        }
    }
}

extension MetricDescriptor {
    /// The family this descriptor describes under `namespace`, with `buckets` for histograms.
    public func familyInfo(namespace: String = "agent", buckets: [Double]? = nil) -> MetricFamilyInfo {
        MetricFamilyInfo(
            name: name(namespace: namespace), help: help, type: type, unit: unit, labelNames: labelNames,
            buckets: type == .histogram ? (buckets ?? self.buckets) : [], otlpName: otlpName(namespace: namespace),
            attributeKeys: attributeKeys, optInLabelNames: optInLabelNames)
    }
}
