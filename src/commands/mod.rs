//! What each command does; `main.rs` only parses and dispatches here.

pub mod bench;
pub mod controller;
pub mod service;
