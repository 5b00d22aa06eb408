//! The wire types of the controller's HTTP contract (`API.md`), shared by the
//! controller, the client and the tests. One definition of each shape.

mod call;
mod error;
mod event;
mod explain;
mod mode;
mod service;
mod time;

pub use call::{CallResponse, HealthResponse, Suggestion, SuggestionsResponse};
pub use error::{ErrorBody, ErrorCode, ErrorInfo};
pub use event::{Event, EventKind, EventsResponse};
pub use explain::{DECIDING_FACTORS, explain};
pub use mode::{
    CallPath, ConnectionMethod, EffectivePath, HealthStatus, ModeChangeRequest, ModeChangeResponse,
    ModeChangeStatus, ModeSource, kind_of,
};
pub use service::{
    Bucket, Decision, Factor, FactorValue, LatencyResponse, MethodRate, PathStats, ServiceDetail,
    ServiceView, ServicesResponse, Traffic,
};
pub use time::Timestamp;

/// The product version reported by `/health` and sent as `User-Agent`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
