/// Setup or analysis errors of the MD protocols; messages name the component, key and value.
public struct MDProtocolError: Error, CustomStringConvertible, Sendable {
    /// Human-readable message.
    public var message: String
    /// An error with `message`.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
