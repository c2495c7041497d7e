import Foundation

/// The accelerated rules profile and the Alertmanager webhook override that
/// docs/MONITORING_SETUP.md ("Proving the alerts end to end") describes: both are rewrites of the
/// shipped files into temporary copies, so the thresholds, expressions, routes and inhibitions
/// under test are the shipped ones.
enum AlertProfiles {
    /// Rule time runs this many times faster than wall time in the end-to-end test.
    static let defaultFactor = 20

    /// The demo's request rate in the end-to-end test. A window divided by `defaultFactor` holds
    /// that many times fewer events, and a ratio over a few dozen events is noise: at the demo's
    /// default 50 requests/s a 10 s window holds about 40 executions of each tool, and the
    /// workload's normal 3% failures cross the 5% threshold by chance. At 300 requests/s a 15 s
    /// window holds as many events as a 5 minute window of an agent serving 15 requests a second.
    static let testRate = 300

    /// The demo's configuration file in the end-to-end test: the process' declared budgets. A
    /// test machine gives the demo no cgroup limit, and over the whole machine's memory and
    /// processors the resource ratios never move, so the resource alerts are measured against a
    /// budget, as docs/MONITORING_SETUP.md advises for a process outside a container. The normal
    /// workload stays well inside it (about 50 MiB and 0.1 core at `testRate` in a debug build).
    static let demoConfiguration = """
        metrics:
          process_memory_limit: 256MiB
          process_cpu_limit: 0.5

        """

    /// A duration written in a rules or Alertmanager file (`90s`, `5m`, `1h`, `2d`), in seconds.
    static func seconds(_ value: Int, _ unit: Character) -> Int? {
        switch unit {
        case "s": value
        case "m": value * 60
        case "h": value * 3600
        case "d": value * 86_400
        default: nil
        }
    }

    /// `seconds` divided by `factor`, written as Prometheus and Alertmanager read it, at least 1 s.
    static func scaled(_ seconds: Int, by factor: Int) -> String { "\(max(1, seconds / max(1, factor)))s" }

    /// A Prometheus rule file with every range selector (`[5m]`) and every `for:` divided by
    /// `factor`. Thresholds, expressions and labels are untouched. What does not scale: a rule
    /// that counts over its window (`increase(...[1h]) >= 10`) sees `factor` times fewer events
    /// in the shorter window; per-second rates (and `* 60`, `* 3600` on them) do not change.
    static func acceleratedRules(_ text: String, factor: Int) -> String {
        var out = replacing(#"\[(\d+)([smhd])\]"#, in: text) { value, unit in "[\(scaled(seconds(value, unit) ?? value, by: factor))]" }
        out = replacing(#"(?m)^(\s+for:\s*)(\d+)([smhd])[ \t]*$"#, in: out, prefixGroup: true) { value, unit in
            scaled(seconds(value, unit) ?? value, by: factor)
        }
        return out
    }

    /// The shipped alertmanager.yml for a test: every receiver keeps its name and its
    /// `send_resolved` choice but delivers to `webhookBase/<receiver name>` (a `webhook_configs`
    /// entry replaces its PagerDuty, Slack or e-mail entry); the templates are read from
    /// `templatesDirectory`; the route timers (`group_wait`, `group_interval`,
    /// `repeat_interval`) are divided by `factor`. Routes, matchers, grouping and inhibition are
    /// the shipped ones. The `receivers:` section must be the file's last top-level key.
    static func webhookAlertmanagerConfig(_ shipped: String, webhookBase: String, templatesDirectory: String, factor: Int) throws -> String {
        let lines = shipped.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: "receivers:") else { throw ProfileError(message: "alertmanager.yml has no top-level receivers: section") }
        // Each receiver: its name, and whether its original configuration sends resolved
        // notifications (Slack, e-mail and webhooks default to false, PagerDuty to true).
        var receivers: [(name: String, sendResolved: Bool)] = []
        for line in lines[(start + 1)...] {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("- name:") {
                let name = trimmed.dropFirst("- name:".count).trimmingCharacters(in: .whitespaces)
                receivers.append((name.trimmingCharacters(in: CharacterSet(charactersIn: "\"'")), false))
            } else if !receivers.isEmpty, trimmed.hasPrefix("pagerduty_configs:") {
                receivers[receivers.count - 1].sendResolved = true
            } else if !receivers.isEmpty, trimmed.hasPrefix("send_resolved:") {
                receivers[receivers.count - 1].sendResolved = trimmed.hasSuffix("true")
            } else if !line.isEmpty, !line.hasPrefix(" "), !line.hasPrefix("#") {
                throw ProfileError(message: "alertmanager.yml has a top-level key after receivers: \(line)")
            }
        }
        guard !receivers.isEmpty else { throw ProfileError(message: "alertmanager.yml names no receiver") }
        var head = lines[..<start].joined(separator: "\n")
        head = head.replacingOccurrences(of: "/etc/alertmanager/templates/", with: templatesDirectory + "/")
        head = replacing(#"(?m)^(\s+(?:group_wait|group_interval|repeat_interval):\s*)(\d+)([smhd])[ \t]*$"#, in: head, prefixGroup: true) { value, unit in
            scaled(seconds(value, unit) ?? value, by: factor)
        }
        let webhooks = receivers.map { r in
            "  - name: \(r.name)\n    webhook_configs:\n      - url: \"\(webhookBase)/\(r.name)\"\n        send_resolved: \(r.sendResolved)\n"
        }.joined()
        return head + "\nreceivers:\n" + webhooks
    }

    struct ProfileError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    /// Replaces every match of `pattern`; `transform` gets the number and the unit of the last
    /// two groups. With `prefixGroup`, group 1 is kept in front of the replacement.
    private static func replacing(_ pattern: String, in text: String, prefixGroup: Bool = false,
                                  _ transform: (Int, Character) -> String) -> String {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return text }
        let ns = text as NSString
        var out = ""
        var last = 0
        for match in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            let n = match.numberOfRanges
            guard n >= 3, let value = Int(ns.substring(with: match.range(at: n - 2))),
                  let unit = ns.substring(with: match.range(at: n - 1)).first else { continue }
            out += ns.substring(with: NSRange(location: last, length: match.range.location - last))
            if prefixGroup { out += ns.substring(with: match.range(at: 1)) }
            out += transform(value, unit)
            last = match.range.location + match.range.length
        }
        out += ns.substring(from: last)
        return out
    }
}
