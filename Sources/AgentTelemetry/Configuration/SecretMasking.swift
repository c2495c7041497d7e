extension CodingUserInfoKey {
    /// Set to `true` by the printer of the effective configuration (`check-config`,
    /// `EffectiveConfiguration`). A configuration section's `encode(to:)` writes each secret
    /// (token, password, header value, URL credentials) as `"***"` when the encoder carries it,
    /// and the secret itself otherwise, so that encoding with any other encoder (JSON, a copy of
    /// the settings) keeps what was decoded.
    public static let maskingSecrets: CodingUserInfoKey = {
        guard let key = CodingUserInfoKey(rawValue: "agentTelemetry.maskingSecrets") else {
            preconditionFailure("a non-empty raw value is a valid CodingUserInfoKey")
        }
        return key
    }()
}

extension Encoder {
    /// Whether secrets are to be written masked (`"***"`): true only in the printer of the
    /// effective configuration (``Swift/CodingUserInfoKey/maskingSecrets``). Cost: one dictionary look-up.
    public var masksSecrets: Bool { userInfo[.maskingSecrets] as? Bool == true }

    /// `secret`, or `"***"` when this encoder masks secrets.
    public func printable(secret: String) -> String { masksSecrets ? ConfigurationText.mask : secret }
}
