//! The services table's columns, shared by the table view and sorting.

/// A column of the services table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// Service name.
    Name,
    /// Configured mode.
    Mode,
    /// Effective path.
    Path,
    /// Health bar, score and symbol.
    Health,
    /// Health status word.
    Status,
    /// Calls per second.
    Rps,
    /// Router p50.
    RouterP50,
    /// Router p99.
    RouterP99,
    /// REST p50.
    RestP50,
    /// REST p99.
    RestP99,
    /// Error rate.
    Errors,
    /// Why the mode is what it is.
    Reason,
}

impl Column {
    /// Display order.
    pub const ALL: [Column; 12] = [
        Self::Name,
        Self::Mode,
        Self::Path,
        Self::Health,
        Self::Status,
        Self::Rps,
        Self::RouterP50,
        Self::RouterP99,
        Self::RestP50,
        Self::RestP99,
        Self::Errors,
        Self::Reason,
    ];
    /// Which columns stay when the screen is narrow, most important first.
    pub const PRIORITY: [Column; 12] = [
        Self::Name,
        Self::Mode,
        Self::Health,
        Self::Rps,
        Self::Path,
        Self::Errors,
        Self::RestP99,
        Self::RouterP99,
        Self::Status,
        Self::RestP50,
        Self::RouterP50,
        Self::Reason,
    ];

    /// The header text.
    pub fn title(self) -> &'static str {
        match self {
            Self::Name => "NAME",
            Self::Mode => "MODE",
            Self::Path => "PATH",
            Self::Health => "HEALTH",
            Self::Status => "STATUS",
            Self::Rps => "RPS",
            Self::RouterP50 => "R-P50",
            Self::RouterP99 => "R-P99",
            Self::RestP50 => "REST-P50",
            Self::RestP99 => "REST-P99",
            Self::Errors => "ERR%",
            Self::Reason => "REASON",
        }
    }

    /// Cells it takes.
    pub fn width(self) -> u16 {
        match self {
            Self::Name => 16,
            Self::Mode => 9,
            Self::Path => 6,
            Self::Health => 12,
            Self::Status => 9,
            Self::Rps => 7,
            Self::RouterP50 | Self::RouterP99 => 7,
            Self::RestP50 | Self::RestP99 => 8,
            Self::Errors => 6,
            Self::Reason => 12,
        }
    }

    /// Whether `s` sorts by this column (status and reason are words, not orders).
    pub fn sortable(self) -> bool {
        !matches!(self, Self::Status | Self::Reason)
    }
}
