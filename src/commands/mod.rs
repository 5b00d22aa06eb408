//! What each command does; `main.rs` only parses and dispatches here.

pub mod controller;
pub mod service;
