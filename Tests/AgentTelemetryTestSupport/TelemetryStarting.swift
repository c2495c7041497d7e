import AgentTelemetry

extension Telemetry {
    /// Starts `run()` in a task of its own and returns `self`; `shutdown()` ends it.
    public func started() -> Telemetry {
        Task { try? await self.run() }
        return self
    }
}
