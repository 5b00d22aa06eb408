//! services.yml parsing: any text gives a config or an error naming a place, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use switchboard::controller::config::{Config, ConfigError};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let env = |var: &str| (var == "DB_SVC_CONNECTION_METHOD").then(|| "hybrid".to_string());
    match Config::parse(text, "fuzz.yml", &env) {
        Ok(config) => {
            for s in &config.services {
                assert!(!s.name.is_empty());
                assert!(s.max_concurrency >= 1);
            }
        }
        Err(ConfigError::Invalid { file, .. }) => assert_eq!(file, "fuzz.yml"),
        Err(other) => panic!("unexpected error kind: {other}"),
    }
});
