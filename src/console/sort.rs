//! Table order: the controller's order by default, or any column; ties are
//! broken by name so that the order is stable between polls.

use std::cmp::Ordering;

use crate::client::ServiceRow;

/// A sortable column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortColumn {
    /// The controller's (configuration) order.
    Config,
    /// Name.
    Name,
    /// Mode.
    Mode,
    /// Effective path.
    Path,
    /// Health score.
    Health,
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
}

impl SortColumn {
    const ORDER: [SortColumn; 11] = [
        Self::Config,
        Self::Name,
        Self::Mode,
        Self::Path,
        Self::Health,
        Self::Rps,
        Self::RouterP50,
        Self::RouterP99,
        Self::RestP50,
        Self::RestP99,
        Self::Errors,
    ];

    /// The next column in the cycle.
    pub fn next(self) -> Self {
        let i = Self::ORDER.iter().position(|c| *c == self).unwrap_or(0);
        Self::ORDER[(i + 1) % Self::ORDER.len()]
    }

    /// How the column is named in the header and status bar.
    pub fn label(self) -> &'static str {
        match self {
            Self::Config => "config order",
            Self::Name => "NAME",
            Self::Mode => "MODE",
            Self::Path => "PATH",
            Self::Health => "HEALTH",
            Self::Rps => "RPS",
            Self::RouterP50 => "R-P50",
            Self::RouterP99 => "R-P99",
            Self::RestP50 => "REST-P50",
            Self::RestP99 => "REST-P99",
            Self::Errors => "ERR%",
        }
    }
}

fn number(s: &ServiceRow, column: SortColumn) -> Option<f64> {
    let t = s.traffic.as_ref();
    match column {
        SortColumn::Health => s.health_score,
        SortColumn::Rps => t.map(|t| t.rps),
        SortColumn::RouterP50 => t.and_then(|t| t.router.p50_ms),
        SortColumn::RouterP99 => t.and_then(|t| t.router.p99_ms),
        SortColumn::RestP50 => t.and_then(|t| t.rest.p50_ms),
        SortColumn::RestP99 => t.and_then(|t| t.rest.p99_ms),
        SortColumn::Errors => t.map(|t| t.error_rate),
        _ => None,
    }
}

fn compare(a: &ServiceRow, b: &ServiceRow, column: SortColumn) -> Ordering {
    match column {
        SortColumn::Config => Ordering::Equal,
        SortColumn::Name => a.name.cmp(&b.name),
        SortColumn::Mode => a.mode_text.cmp(&b.mode_text),
        SortColumn::Path => format!("{:?}", a.effective_path).cmp(&format!("{:?}", b.effective_path)),
        // Missing numbers sort last either way.
        _ => match (number(a, column), number(b, column)) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        },
    }
}

/// Sorts indices into `rows` by `column`, stably.
pub fn sort_order(view: &mut [usize], rows: &[ServiceRow], column: SortColumn, descending: bool) {
    if column == SortColumn::Config {
        view.sort_unstable();
        if descending {
            view.reverse();
        }
        return;
    }
    view.sort_by(|&i, &j| {
        let primary = compare(&rows[i], &rows[j], column);
        let primary = if descending { primary.reverse() } else { primary };
        primary.then_with(|| rows[i].name.cmp(&rows[j].name)).then(i.cmp(&j))
    });
}
