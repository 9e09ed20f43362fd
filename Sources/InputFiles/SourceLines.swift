// Source lines of keys, for error messages.
//
// TOMLKit 0.6.0 reports a line only for syntax errors, not for parsed values. This scanner reads
// the (already syntax-checked) text once and records the first line on which each key path
// appears — `key = …` lines, dotted keys, `[table]` and `[[array.of.tables]]` headers (with the
// element index: `program[2]`). Multi-line strings and arrays are skipped over. Keys inside
// inline tables are not tracked; they fall back to the line of the enclosing key.

/// First line (1-based) of each key path in a TOML text.
struct SourceLines: Sendable {
    private(set) var lines: [String: Int] = [:]

    /// Line of `path` exactly, or of its nearest enclosing path (`a.b[3].c` → `a.b[3]` → `a.b` → `a`).
    func line(for path: String) -> Int? {
        var p = path
        while !p.isEmpty {
            if let l = lines[p] { return l }
            p = SourceLines.parent(of: p)
        }
        return nil
    }

    /// Exact line of `path`, if it appears in the text.
    func exactLine(for path: String) -> Int? { lines[path] }

    static func parent(of path: String) -> String {
        if path.hasSuffix("]"), let open = path.lastIndex(of: "[") { return String(path[..<open]) }
        if let dot = path.lastIndex(of: ".") { return String(path[..<dot]) }
        return ""
    }

    static func join(_ prefix: String, _ key: String) -> String { prefix.isEmpty ? key : prefix + "." + key }

    init(text: String) {
        var prefix = ""
        var arrayIndex: [String: Int] = [:]
        var multiline: [Character]? = nil     // closing delimiter of an open multi-line string
        var depth = 0                         // open brackets of a multi-line array
        var lineNo = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNo += 1
            let chars = Array(rawLine)
            var i = 0
            if let close = multiline {
                guard let end = SourceLines.find(close, in: chars, from: 0) else { continue }
                multiline = nil
                i = end + close.count
                SourceLines.scanValue(chars, from: i, depth: &depth, multiline: &multiline)
                continue
            }
            if depth > 0 {
                SourceLines.scanValue(chars, from: 0, depth: &depth, multiline: &multiline)
                continue
            }
            while i < chars.count, chars[i] == " " || chars[i] == "\t" || chars[i] == "\r" { i += 1 }
            guard i < chars.count, chars[i] != "#" else { continue }
            if chars[i] == "[" {
                let isArray = i + 1 < chars.count && chars[i + 1] == "["
                i += isArray ? 2 : 1
                let (parts, _) = SourceLines.parseKey(chars, from: i)
                var p = ""
                for (j, part) in parts.enumerated() {
                    p = SourceLines.join(p, part)
                    if j == parts.count - 1 && isArray {
                        if lines[p] == nil { lines[p] = lineNo }
                        let k = (arrayIndex[p] ?? -1) + 1
                        arrayIndex[p] = k
                        p += "[\(k)]"
                    } else if let k = arrayIndex[p] {
                        p += "[\(k)]"
                    }
                    if lines[p] == nil { lines[p] = lineNo }
                }
                prefix = p
                continue
            }
            let (parts, end) = SourceLines.parseKey(chars, from: i)
            var p = prefix
            for part in parts {
                p = SourceLines.join(p, part)
                if lines[p] == nil { lines[p] = lineNo }
            }
            var j = end
            while j < chars.count, chars[j] != "=" { j += 1 }
            SourceLines.scanValue(chars, from: j + 1, depth: &depth, multiline: &multiline)
        }
    }

    /// Parse a (dotted, possibly quoted) key starting at `i`; returns its parts and the index after it.
    private static func parseKey(_ c: [Character], from start: Int) -> ([String], Int) {
        var parts: [String] = []
        var i = start
        func skipSpace() { while i < c.count, c[i] == " " || c[i] == "\t" { i += 1 } }
        while true {
            skipSpace()
            guard i < c.count else { break }
            var part = ""
            if c[i] == "\"" {
                i += 1
                while i < c.count, c[i] != "\"" {
                    if c[i] == "\\", i + 1 < c.count { i += 1 }
                    part.append(c[i]); i += 1
                }
                i += 1
            } else if c[i] == "'" {
                i += 1
                while i < c.count, c[i] != "'" { part.append(c[i]); i += 1 }
                i += 1
            } else {
                while i < c.count, c[i].isLetter || c[i].isNumber || c[i] == "_" || c[i] == "-" {
                    part.append(c[i]); i += 1
                }
            }
            parts.append(part)
            skipSpace()
            if i < c.count, c[i] == "." { i += 1; continue }
            break
        }
        return (parts, i)
    }

    /// Track brackets and strings through a value's text (comments end it).
    private static func scanValue(_ c: [Character], from start: Int, depth: inout Int, multiline: inout [Character]?) {
        var i = start
        while i < c.count {
            let ch = c[i]
            if ch == "#" { return }
            if ch == "\"" || ch == "'" {
                let triple = i + 2 < c.count && c[i + 1] == ch && c[i + 2] == ch
                if triple {
                    let close: [Character] = [ch, ch, ch]
                    guard let end = find(close, in: c, from: i + 3) else { multiline = close; return }
                    i = end + 3
                    continue
                }
                i += 1
                while i < c.count, c[i] != ch {
                    if ch == "\"", c[i] == "\\" { i += 1 }
                    i += 1
                }
                i += 1
                continue
            }
            if ch == "[" || ch == "{" { depth += 1 }
            if ch == "]" || ch == "}" { depth = max(0, depth - 1) }
            i += 1
        }
    }

    private static func find(_ needle: [Character], in c: [Character], from start: Int) -> Int? {
        guard needle.count <= c.count else { return nil }
        var i = start
        while i + needle.count <= c.count {
            if Array(c[i..<(i + needle.count)]) == needle {
                // A backslash-escaped quote does not close a basic multi-line string.
                if needle.first == "\"", i > 0, c[i - 1] == "\\" { i += 1; continue }
                return i
            }
            i += 1
        }
        return nil
    }
}
