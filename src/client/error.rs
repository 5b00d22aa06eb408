//! Why a request to the controller did not give what was asked.

/// A client failure, phrased for the status bar and stderr.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClientError {
    /// The console runs read-only; no mutation is ever sent.
    #[error("read-only: {0} refused (started with --read-only)")]
    ReadOnly(String),
    /// No connection could be made.
    #[error("cannot reach the controller: {0}")]
    Unreachable(String),
    /// No answer in time.
    #[error("no answer within {0:.1} s")]
    Timeout(f64),
    /// The controller answered with an error; `message` is its own words.
    #[error("{message}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// The controller's `detail`, verbatim (FastAPI lists made readable).
        message: String,
    },
    /// The controller does not have this route (an RssBot controller).
    #[error("not offered by this controller")]
    NotOffered,
    /// The answer could not be understood.
    #[error("unexpected answer: {0}")]
    BadAnswer(String),
}

impl ClientError {
    /// Whether this is a connection-level failure (as opposed to a refusal).
    pub fn is_connection(&self) -> bool {
        matches!(self, Self::Unreachable(_) | Self::Timeout(_) | Self::BadAnswer(_))
    }
}
