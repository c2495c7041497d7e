import AgentTelemetry

/// The exporter and subscriber kinds a configuration may name: the built-ins
/// (``TelemetryPlugins/builtIn``) plus a program's own. Pass the same value to
/// ``ConfigurationLoader/load(path:environment:plugins:)``, ``ConfigurationCheck`` and the
/// `check-config` command, so that the file is read and checked with the program's plug-ins.
public struct TelemetryPlugins: Sendable {
    /// Exporter kinds, in the order their sections are printed and their services start.
    public private(set) var exporters: [any TelemetryExporterKind]
    /// Subscriber kinds, in the order their sections are printed and they subscribe.
    public private(set) var subscribers: [any TelemetrySubscriberKind]

    /// A set of kinds. Prefer ``builtIn`` with ``adding(exporter:)``: without the built-ins, their
    /// sections are unknown keys.
    public init(exporters: [any TelemetryExporterKind] = [], subscribers: [any TelemetrySubscriberKind] = []) {
        self.exporters = []
        self.subscribers = []
        for e in exporters { self = adding(exporter: e) }
        for s in subscribers { self = adding(subscriber: s) }
    }

    /// These kinds and `kind`, which replaces a kind of the same key.
    public func adding(exporter kind: any TelemetryExporterKind) -> TelemetryPlugins {
        var copy = self
        copy.exporters.removeAll { $0.key == kind.key }
        copy.exporters.append(kind)
        return copy
    }

    /// These kinds and `kind`, which replaces a kind of the same key.
    public func adding(subscriber kind: any TelemetrySubscriberKind) -> TelemetryPlugins {
        var copy = self
        copy.subscribers.removeAll { $0.key == kind.key }
        copy.subscribers.append(kind)
        return copy
    }

    /// Every exporter's own metrics, in kind order.
    public var selfMetrics: [MetricDescriptor] { exporters.flatMap(\.selfMetrics) }

    /// The kinds' types, in order: equal for equal sets of kinds.
    var signature: [ObjectIdentifier] {
        exporters.map { ObjectIdentifier(type(of: $0)) } + [ObjectIdentifier(TelemetryPlugins.self)]
            + subscribers.map { ObjectIdentifier(type(of: $0)) }
    }
}

/// One plug-in's section as the configuration resolved it: its kind, whether it runs, and its
/// settings. Read typed settings with ``RuntimeConfiguration/settings(of:)``.
public struct ConfiguredPlugin: Sendable {
    /// The kind (an exporter or subscriber kind).
    public let kind: any TelemetryPluginKind
    /// Whether it runs.
    public var enabled: Bool
    /// The settings (the kind's `Configuration`); nil when the section is absent.
    public var settings: (any Sendable)?

    /// The section's key.
    public var key: String { kind.key }
}

extension TelemetryPluginKind {
    /// The section of this kind in `c`, when present.
    func decodeSection(in c: KeyedDecodingContainer<SectionKey>, defaultEnabled: Bool) throws -> ConfiguredPlugin? {
        let key = SectionKey(stringValue: self.key)
        if let section = try c.decodeIfPresent(PluginSection<Configuration>.self, forKey: key) {
            return ConfiguredPlugin(kind: self, enabled: section.enabled, settings: section.settings)
        }
        guard defaultEnabled else { return nil }
        // Absent, and running unless disabled: its defaults (an empty mapping).
        let section = try PluginSection<Configuration>(from: c.superDecoder(forKey: key))
        return ConfiguredPlugin(kind: self, enabled: true, settings: section.settings)
    }

    /// Writes `entry` as its section; a disabled one as `enabled: false` only.
    func encodeSection(_ entry: ConfiguredPlugin, into c: inout KeyedEncodingContainer<SectionKey>) throws {
        let settings = entry.enabled ? entry.settings as? Configuration : nil
        try c.encode(PluginSection(enabled: settings != nil, settings: settings), forKey: SectionKey(stringValue: key))
    }

    /// The problems of `entry`'s settings, with key paths from the section.
    func validateSection(_ entry: ConfiguredPlugin) -> [ConfigurationIssue] {
        (entry.settings as? Configuration)?.validate() ?? []
    }
}

/// A key of a mapping whose keys are not known in advance (the kinds' keys). `CaseIterable` with no
/// cases: the printer then keeps the order written instead of sorting.
struct SectionKey: CodingKey, CaseIterable {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
    static var allCases: [SectionKey] { [] }
}

/// A plug-in's section: `enabled` beside the plug-in's own keys, in one mapping.
struct PluginSection<Settings: TelemetryConfigurationSection & Encodable>: Codable {
    var enabled: Bool
    /// The settings; nil only when printing a disabled plug-in.
    var settings: Settings?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case enabled
    }

    init(enabled: Bool, settings: Settings?) {
        self.enabled = enabled
        self.settings = settings
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
        settings = try Settings(from: decoder)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(enabled, forKey: .enabled)
        try settings?.encode(to: encoder)
    }
}

/// Which kinds a `PluginSections` holds.
protocol PluginRole {
    /// The kinds of this role in `plugins`.
    static func kinds(in plugins: TelemetryPlugins) -> [any TelemetryPluginKind]
}

/// `exporters:`.
enum ExporterRole: PluginRole {
    static func kinds(in plugins: TelemetryPlugins) -> [any TelemetryPluginKind] { plugins.exporters }
}

/// `subscribers:`.
enum SubscriberRole: PluginRole {
    static func kinds(in plugins: TelemetryPlugins) -> [any TelemetryPluginKind] { plugins.subscribers }
}

/// `exporters:` or `subscribers:`: one section per registered kind of the role. A section of a kind
/// that is not registered is an unknown key (with the closest registered key). Every present
/// section is validated, enabled or not: a disabled section with a mistake fails the day it is
/// enabled.
struct PluginSections<Role: PluginRole>: Codable {
    var entries: [ConfiguredPlugin]

    init(entries: [ConfiguredPlugin]) { self.entries = entries }

    /// Asks for the section of every kind of the decode under way, even when absent (so that every
    /// registered key is a known key), and keeps those present or running without a section.
    init(from decoder: any Decoder) throws {
        let plugins = (decoder as? ConfigurationDecoder)?.session.plugins ?? .builtIn
        let c = try decoder.container(keyedBy: SectionKey.self)
        var entries: [ConfiguredPlugin] = []
        for kind in Role.kinds(in: plugins) {
            let defaultEnabled = (kind as? any TelemetryExporterKind)?.enabledWhenAbsent ?? false
            if let entry = try kind.decodeSection(in: c, defaultEnabled: defaultEnabled) { entries.append(entry) }
        }
        self.entries = entries
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SectionKey.self)
        for entry in entries { try entry.kind.encodeSection(entry, into: &c) }
    }

    func validate() -> [ConfigurationIssue] { entries.validate() }
}

extension [ConfiguredPlugin] {
    /// The problems of every section's settings, with key paths from `exporters:` or `subscribers:`.
    func validate() -> [ConfigurationIssue] {
        flatMap { entry in entry.kind.validateSection(entry).map { $0.prefixed(by: [entry.key]) } }
    }
}
