//! Request and answer bodies: mode changes, data-plane payloads, fault
//! settings, and the console's tolerant reading of controllers' answers.
#![no_main]

use libfuzzer_sys::fuzz_target;
use switchboard::api::ModeChangeRequest;
use switchboard::client::{error_message, service_row};
use switchboard::controller::proxy::Payload;
use switchboard::platform::faults::FaultSettings;

fuzz_target!(|data: &[u8]| {
    if let Ok(payload) = Payload::from_bytes(bytes::Bytes::copy_from_slice(data)) {
        assert_eq!(payload.size(), data.len() as u64);
    }
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    if let Ok(request) = ModeChangeRequest::from_json(&value) {
        if let Some(reason) = &request.reason {
            assert!(!reason.contains('\0'));
        }
    }
    let _ = service_row(&value);
    let _ = error_message(&value);
    if let Some(list) = value.as_array() {
        for item in list {
            let _ = service_row(item);
        }
    }
    if let Ok(settings) = serde_json::from_value::<FaultSettings>(value) {
        let _ = settings.validate();
    }
});
