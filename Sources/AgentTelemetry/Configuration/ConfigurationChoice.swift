/// A setting that takes one of a fixed set of words (`drop_oldest`, `delta`, `gzip`, …).
///
/// The type lists its spellings once; decoding, the "is not one of" message and the printed
/// effective configuration all come from that list.
package protocol ConfigurationChoice: Sendable, Equatable {
    /// Accepted spellings (compared without regard to case), in the order messages list them.
    /// The first spelling of a value is the one printed.
    static var spellings: [(name: String, value: Self)] { get }
    /// Spellings that were accepted once, with the sentence saying why they no longer are.
    static var removedSpellings: [String: String] { get }
}

extension ConfigurationChoice {
    package static var removedSpellings: [String: String] { [:] }

    /// The value spelled `text`, or the sentence saying why there is none.
    package static func parse(_ text: String) -> Result<Self, ChoiceProblem> {
        let lowered = text.lowercased()
        if let match = spellings.first(where: { $0.name.lowercased() == lowered }) { return .success(match.value) }
        if let why = removedSpellings[lowered] { return .failure(ChoiceProblem(description: "\"\(lowered)\" \(why)")) }
        return .failure(ChoiceProblem(description: "\(ConfigurationText.quotedForMessage(text)) is not one of " + choiceList))
    }

    /// `a, b, c`: the canonical spellings.
    package static var choiceList: String {
        let all = spellings
        return all.indices.filter { i in !all[..<i].contains { $0.value == all[i].value } }
            .map { all[$0].name }.joined(separator: ", ")
    }

    /// The printed spelling of this value.
    package var spelling: String { Self.spellings.first { $0.value == self }?.name ?? "\(self)" }
}

/// Why a word is not an accepted choice.
package struct ChoiceProblem: Error, CustomStringConvertible {
    package var description: String
}

/// Decodes and encodes a ``ConfigurationChoice`` as its word.
package struct Spelled<Value: ConfigurationChoice>: Codable, Sendable {
    /// The chosen value.
    package var value: Value

    /// Wraps a value.
    package init(_ value: Value) { self.value = value }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        switch Value.parse(text) {
        case .success(let v): value = v
        case .failure(let problem): throw DecodingError.dataCorruptedError(in: c, debugDescription: problem.description)
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value.spelling)
    }
}
