/// The dialect of StatsD lines an exporter writes.
///
/// The flavours differ in how series labels travel and which observation types exist:
///
/// | flavour | labels | non-duration histogram |
/// |---|---|---|
/// | ``etsy`` | label values folded into the dotted name (`prefix.name.value1.value2`) | `|ms` (etsy has no histogram type) |
/// | ``dogStatsD`` | `|#key:value,key2:value2` after the type | `|h` |
/// | ``telegraf`` | `name,key=value,key2=value2:1|c` (InfluxDB-style tags on the name) | `|ms` (Telegraf treats `ms` and `h` alike) |
///
/// Durations (histograms whose unit is seconds) are always sent as `|ms` timers in milliseconds.
public enum StatsDFlavour: String, Sendable, Hashable, CaseIterable {
    /// The original etsy statsd protocol: no tags; label values become name segments.
    case etsy
    /// Datadog's DogStatsD: tags as `|#k:v,...`, `h` histograms.
    case dogStatsD
    /// Telegraf's statsd input: tags as `name,k=v,...:value|type`.
    case telegraf
}
