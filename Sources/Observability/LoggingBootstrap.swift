import Logging

/// Bootstraps swift-log once per process with JSON lines on stderr.
public enum LoggingBootstrap {
    public static func bootstrap(level: Logger.Level) {
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
    }
}
