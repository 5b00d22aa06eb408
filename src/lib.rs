//! switchboard: the operations console and control plane for a platform
//! whose services each choose how they are reached — router (in-process),
//! REST (their own process), hybrid (chosen per call, with failover) or
//! disabled.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
#![warn(missing_docs)]

pub mod api;
pub mod cli;
pub mod client;
pub mod commands;
pub mod console;
pub mod controller;
pub mod demo;
pub mod platform;
