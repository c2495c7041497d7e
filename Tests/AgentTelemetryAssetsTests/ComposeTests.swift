import Foundation
import Testing

/// docker-compose.monitoring.yml is a valid compose file (no engine needed: `config` only parses
/// and validates). The compose plugin is used where present, else the standalone `docker-compose`
/// (Debian's package, which .ci/run installs).
@Suite("The monitoring compose file")
struct ComposeTests {
    /// The command prefix that runs compose, if any is installed.
    static let compose: [String]? = {
        if let docker = AssetTools.which("docker"), (try? AssetTools.runBlocking(docker, ["compose", "version"]))?.status == 0 {
            return [docker, "compose"]
        }
        if let standalone = AssetTools.which("docker-compose") { return [standalone] }
        print("SKIPPED: docker-compose (or the docker compose plugin) is not installed; install the test peers with bash .ci/install-peers")
        return nil
    }()

    @Test("compose config validates docker-compose.monitoring.yml", .enabled(if: compose != nil))
    func composeConfig() async throws {
        let command = try #require(Self.compose)
        let r = try await AssetTools.run(command[0], Array(command.dropFirst()) + ["-f", AssetTools.path("docker-compose.monitoring.yml"), "config", "--quiet"])
        #expect(r.status == 0, "\(r)")
    }

    @Test("a broken compose file is refused, so the check can fail", .enabled(if: compose != nil))
    func brokenComposeIsRefused() async throws {
        let command = try #require(Self.compose)
        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID().uuidString).yml")
        try "services:\n  agent:\n    ports: 9091\n    restart: sometimes\n".write(to: broken, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: broken) }
        let r = try await AssetTools.run(command[0], Array(command.dropFirst()) + ["-f", broken.path, "config", "--quiet"])
        #expect(r.status != 0, "\(r)")
    }
}
