/// One entry of `budgets:`: `name`, `scope` (session, agent, model), `match` (a glob of agent
/// or model names), `usd` and/or `tokens`, `window` (`life`, the default, or a duration for a
/// rolling window).
extension Budget: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, scope, match, usd, tokens, window
    }

    /// Decodes an entry; an unknown scope is an error of `scope` naming the accepted ones.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        guard let scope = try c.decodeChoiceIfPresent(Scope.self, forKey: .scope) else {
            throw DecodingError.keyNotFound(CodingKeys.scope, .init(codingPath: c.codingPath, debugDescription: "a budget needs a scope: \(Scope.choiceList)"))
        }
        self.scope = scope
        match = try c.decodeIfPresent(String.self, forKey: .match) ?? "*"
        usd = try c.decodeIfPresent(Double.self, forKey: .usd)
        tokens = try c.decodeIfPresent(Int.self, forKey: .tokens)
        if let text = try? c.decodeIfPresent(String.self, forKey: .window), text.lowercased() == "life" {
            window = .life
        } else if let length = try c.decodeDurationIfPresent(forKey: .window) {
            window = .rolling(length)
        } else {
            window = .life
        }
    }

    /// Writes the entry as the file spells it.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encodeChoice(scope, forKey: .scope)
        if match != "*" { try c.encode(match, forKey: .match) }
        try c.encodeIfPresent(usd, forKey: .usd)
        try c.encodeIfPresent(tokens, forKey: .tokens)
        switch window {
        case .life: try c.encode("life", forKey: .window)
        case .rolling(let length): try c.encodeDuration(length, forKey: .window)
        }
    }
}

extension Budget.Scope: ConfigurationChoice {
    package static var spellings: [(name: String, value: Budget.Scope)] { allCases.map { ($0.rawValue, $0) } }
}
