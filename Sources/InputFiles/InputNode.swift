// A plain value tree for a parsed TOML document, and TOML literal rendering.
//
// TOMLKit's values are thin handles on toml++ nodes; converting once into this enum keeps the
// cursor code simple and independent of TOMLKit beyond parsing. Literal rendering is shared by
// error messages, the effective-input printer and the barrier-file encoder, so that every number
// printed is the shortest text that parses back to the same Double.

import TOMLKit

/// One key of a table.
struct InputEntry {
    var key: String
    var value: InputNode
}

/// One TOML value.
indirect enum InputNode {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case array([InputNode])
    case table([InputEntry])
    /// Dates and times: kept as their TOML text (cekmc reads none of them).
    case other(typeName: String, text: String)

    /// "a string", "an integer", … for "expected …, got …" messages.
    var typeName: String {
        switch self {
        case .string: return "a string"
        case .int: return "an integer"
        case .double: return "a floating-point number"
        case .bool: return "a boolean"
        case .array: return "an array"
        case .table: return "a table"
        case .other(let name, _): return name
        }
    }

    /// The value as TOML text (tables inline); long texts are cut at 80 characters with "…".
    var literal: String {
        let s = fullLiteral
        return s.count > 80 ? String(s.prefix(79)) + "…" : s
    }

    /// The value as TOML text, uncut.
    var fullLiteral: String {
        switch self {
        case .string(let s): return TOMLText.string(s)
        case .int(let i): return String(i)
        case .double(let d): return TOMLText.double(d)
        case .bool(let b): return b ? "true" : "false"
        case .array(let a): return "[" + a.map(\.fullLiteral).joined(separator: ", ") + "]"
        case .table(let t):
            if t.isEmpty { return "{}" }
            return "{ " + t.map { TOMLText.key($0.key) + " = " + $0.value.fullLiteral }.joined(separator: ", ") + " }"
        case .other(_, let text): return text
        }
    }

    /// Convert a TOMLKit value.
    init(_ v: TOMLValueConvertible) {
        switch v.type {
        case .string: self = .string(v.string ?? "")
        case .int: self = .int(v.int ?? 0)
        case .double: self = .double(v.double ?? .nan)
        case .bool: self = .bool(v.bool ?? false)
        case .array:
            var items: [InputNode] = []
            if let a = v.array { for e in a { items.append(InputNode(e)) } }
            self = .array(items)
        case .table: self = InputNode(table: v.table ?? TOMLTable())
        case .date: self = .other(typeName: "a date", text: v.debugDescription)
        case .time: self = .other(typeName: "a time", text: v.debugDescription)
        case .dateTime: self = .other(typeName: "a date-time", text: v.debugDescription)
        }
    }

    /// Convert a TOMLKit table.
    init(table: TOMLTable) {
        var entries: [InputEntry] = []
        for (k, v) in table { entries.append(InputEntry(key: k, value: InputNode(v))) }
        self = .table(entries)
    }
}

/// TOML literal text for keys, strings and numbers.
public enum TOMLText {
    /// A key, bare when it only holds A–Z a–z 0–9 _ -, quoted otherwise.
    public static func key(_ k: String) -> String {
        let bare = !k.isEmpty && k.unicodeScalars.allSatisfy {
            ($0 >= "A" && $0 <= "Z") || ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "_" || $0 == "-"
        }
        return bare ? k : string(k)
    }

    /// A basic (double-quoted) TOML string with escapes.
    public static func string(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if u.value < 0x20 || u.value == 0x7F {
                    let hex = String(u.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// A TOML float: the shortest text that parses back to `d` (Swift's `description`), always
    /// with a `.` or an exponent so that it reads back as a float; `inf`, `-inf`, `nan`.
    public static func double(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d > 0 ? "inf" : "-inf" }
        let s = "\(d)"
        return s.contains(".") || s.contains("e") ? s : s + ".0"
    }
}
