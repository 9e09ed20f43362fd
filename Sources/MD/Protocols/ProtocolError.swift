/// Setup or analysis errors of the MD protocols; messages name the component, key and value.
public struct MDProtocolError: Error, CustomStringConvertible, Sendable {
    /// Human-readable message.
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
