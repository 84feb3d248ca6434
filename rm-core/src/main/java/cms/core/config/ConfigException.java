package cms.core.config;

/** A configuration value that is missing or invalid; the message names the key. Fatal at start. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
