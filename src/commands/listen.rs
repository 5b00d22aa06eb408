//! Binding a listen address and serving on it, with errors that say where.

use std::net::SocketAddr;

use tokio::net::TcpListener;

/// Why listening or serving failed.
#[derive(Debug, thiserror::Error)]
pub enum ListenError {
    /// The listen address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
    /// Serving failed.
    #[error("server error: {0}")]
    Serve(#[from] std::io::Error),
}

/// Binds `addr` and returns the listener with the address it really got (port 0 picks one).
pub async fn bind(addr: SocketAddr) -> Result<(TcpListener, SocketAddr), ListenError> {
    let listener = TcpListener::bind(addr).await.map_err(|source| ListenError::Bind { addr, source })?;
    let bound = listener.local_addr()?;
    Ok((listener, bound))
}
