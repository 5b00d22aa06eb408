//! A call's payload, parsed once at the edge: the router path borrows the
//! value, the REST path sends the original bytes. Nothing is re-encoded.

use bytes::Bytes;
use serde::Serialize;
use serde_json::Value;
use serde_json::value::RawValue;

/// A JSON payload and its encoded bytes.
#[derive(Debug, Clone)]
pub struct Payload {
    value: Value,
    raw: Bytes,
}

impl Payload {
    /// Parses bytes received from a client.
    pub fn from_bytes(raw: Bytes) -> Result<Self, serde_json::Error> {
        let value =
            if raw.iter().all(u8::is_ascii_whitespace) { Value::Null } else { serde_json::from_slice(&raw)? };
        Ok(Self { value, raw })
    }

    /// Encodes a value built in-process.
    pub fn from_value(value: Value) -> Self {
        let raw = Bytes::from(serde_json::to_vec(&value).unwrap_or_else(|_| b"null".to_vec()));
        Self { value, raw }
    }

    /// The parsed payload.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// The encoded payload.
    pub fn bytes(&self) -> &Bytes {
        &self.raw
    }

    /// Size in bytes, the `request_size` factor.
    pub fn size(&self) -> u64 {
        self.raw.len() as u64
    }
}

/// What a service answered: a value from the router path, or validated JSON
/// text from the REST path, passed through without building a tree.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum CallResult {
    /// From an in-process call.
    Value(Value),
    /// From a REST side.
    Raw(Box<RawValue>),
}

impl CallResult {
    /// The answer as a value (parses REST answers).
    pub fn into_value(self) -> Value {
        match self {
            Self::Value(v) => v,
            Self::Raw(raw) => serde_json::from_str(raw.get()).unwrap_or(Value::Null),
        }
    }
}
