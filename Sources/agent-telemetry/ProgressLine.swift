import Foundation

/// Writes a progress line to standard output, stamped with the UTC time to the second
/// (`2026-12-07T12:30:05Z demo: …`), so that a log of a long run says when each line was true.
func progress(_ line: String) { say(timestamp(Date()) + " " + line) }

/// `date` as ISO 8601 in UTC, to the second.
func timestamp(_ date: Date) -> String { date.formatted(.iso8601) }

/// `count` and the noun, singular for exactly one: `1 scrape`, `2 scrapes`, `0 scrapes`.
func counted(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(count) " + (count == 1 ? singular : plural ?? singular + "s")
}
