import Configuration
import Logging
import ObjectStorage
import Settings

/// Object stores named in the settings: their locations checked and their stores made, with
/// errors that name the setting a user wrote.
public enum StoreSettings {
    /// What `text` (the value of `key`: `sink.store`, `outputs`) names.
    public static func location(_ text: String, key: String = Knobs.sink.store.knob.key) throws(ConfigurationError) -> ObjectStoreFactory.Location {
        do { return try ObjectStoreFactory.parseLocation(text) } catch { throw error.configurationError(locationKey: key) }
    }

    /// `name` when S3 accepts it as a bucket name; otherwise an error naming `key`.
    public static func bucket(_ name: String, key: String = Knobs.s3.bucket.knob.key) throws(ConfigurationError) -> String {
        do { try S3Configuration.validateBucketName(name) } catch { throw ConfigurationError(key: key, value: name, allowed: error.allowed) }
        return name
    }

    /// The store for `location`, reading the `s3` section of `config` only for an `s3://` location.
    public static func makeStore(location: String, config: ConfigReader, logger: Logger = Logger(label: "netchaos.store")) throws(ConfigurationError) -> any ObjectStore {
        switch try Self.location(location) {
        case .directory:
            return try makeStore(location: location, s3: nil, logger: logger)
        case .s3:
            return try makeStore(location: location, s3: try S3Configuration(config: config), logger: logger)
        }
    }

    /// The store for `location`, S3 settings from `s3`.
    public static func makeStore(location: String, s3: S3Configuration?, locationKey: String = Knobs.sink.store.knob.key, logger: Logger = Logger(label: "netchaos.store")) throws(ConfigurationError) -> any ObjectStore {
        do { return try ObjectStoreFactory.makeStore(location: location, s3: s3, logger: logger) } catch { throw error.configurationError(locationKey: locationKey) }
    }

    /// No access key or no secret: names both keys with every environment name that sets them.
    static func missingCredentials(_ key: String) -> ConfigurationError {
        ConfigurationError(
            key: key, value: "(unset)",
            allowed: "S3 needs credentials: set \(names(of: Knobs.s3.accessKeyId.knob)) and \(names(of: Knobs.s3.secretAccessKey.knob))"
                + " (and \(names(of: Knobs.s3.sessionToken.knob)) for temporary credentials)"
        )
    }

    /// `s3.access_key_id (AWS_ACCESS_KEY_ID or MINIO_ACCESS_KEY)`
    static func names(of knob: Knob) -> String {
        "\(knob.key) (\(([knob.environment] + knob.aliases).joined(separator: " or ")))"
    }
}

extension StoreConfigurationError {
    /// The same error naming the setting as the configuration spells it; a location is the value of
    /// `locationKey`.
    public func configurationError(locationKey: String = Knobs.sink.store.knob.key) -> ConfigurationError {
        let s3 = Knobs.s3
        let key = switch setting {
        case .location: locationKey
        case .bucket: s3.bucket.knob.key
        case .region: s3.region.knob.key
        case .endpoint: s3.endpoint.knob.key
        case .checksum: s3.checksum.knob.key
        case .accessKeyID: s3.accessKeyId.knob.key
        case .secretAccessKey: s3.secretAccessKey.knob.key
        case .multipartThreshold: s3.multipartThreshold.knob.key
        case .partSize: s3.partSize.knob.key
        case .requestTimeout: s3.requestTimeout.knob.key
        }
        if isMissingCredentials { return StoreSettings.missingCredentials(key) }
        return ConfigurationError(key: key, value: value, allowed: allowed)
    }

    /// ``configurationError(locationKey:)`` for `sink.store`.
    public var configurationError: ConfigurationError { configurationError() }
}
