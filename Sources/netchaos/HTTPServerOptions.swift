import ArgumentParser
import Settings

/// Flags of every command that runs an HTTP server (`http.*` knobs).
struct HTTPServerOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: .knob(Knobs.http.tlsCert)) var tlsCert: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.http.tlsKey)) var tlsKey: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.http.readToken)) var readToken: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.http.idleTimeout)) var idleTimeout: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.http.headerTimeout)) var headerTimeout: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.http.maxConnections)) var maxConnections: String?
}
