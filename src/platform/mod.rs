//! The platform's services: the `Service` trait every implementation serves
//! through, in-process (router) and over HTTP (its REST side), and the
//! RssBot services themselves.

pub mod faults;
mod payload_args;
mod rest_side;
mod service;
pub mod services;

pub use rest_side::{MAX_PAYLOAD_BYTES, RestSide, RestSideConfig, rss_mb};
pub use service::{Service, ServiceError, ServiceHealth};
