//! What each command does; `main.rs` only parses and dispatches here.

pub mod bench;
pub mod console;
pub mod controller;
pub mod listen;
pub mod logging;
pub mod oneshot;
pub mod service;
pub mod soak;
