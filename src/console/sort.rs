//! Table order: the controller's order by default, or any column; ties are
//! broken by name so that the order is stable between polls.

use std::cmp::Ordering;

use super::columns::Column;
use crate::client::ServiceRow;

/// The column after `current` in the sort cycle; `None` is the controller's order.
pub fn next_sort(current: Option<Column>) -> Option<Column> {
    let mut sortable = Column::ALL.into_iter().filter(|c| c.sortable());
    match current {
        None => sortable.next(),
        Some(c) => sortable.skip_while(|s| *s != c).nth(1),
    }
}

fn number(s: &ServiceRow, column: Column) -> Option<f64> {
    let t = s.traffic.as_ref();
    match column {
        Column::Health => s.health_score,
        Column::Rps => t.map(|t| t.rps),
        Column::RouterP50 => t.and_then(|t| t.router.p50_ms),
        Column::RouterP99 => t.and_then(|t| t.router.p99_ms),
        Column::RestP50 => t.and_then(|t| t.rest.p50_ms),
        Column::RestP99 => t.and_then(|t| t.rest.p99_ms),
        Column::Errors => t.map(|t| t.error_rate),
        _ => None,
    }
}

fn compare(a: &ServiceRow, b: &ServiceRow, column: Column) -> Ordering {
    match column {
        Column::Name => a.name.cmp(&b.name),
        Column::Mode => a.mode_text.cmp(&b.mode_text),
        Column::Path => format!("{:?}", a.effective_path).cmp(&format!("{:?}", b.effective_path)),
        _ => match (number(a, column), number(b, column)) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            _ => Ordering::Equal,
        },
    }
}

/// Sorts indices into `rows` by `column` (`None`: the controller's order), stably.
pub fn sort_order(view: &mut [usize], rows: &[ServiceRow], column: Option<Column>, descending: bool) {
    let Some(column) = column else {
        view.sort_unstable();
        if descending {
            view.reverse();
        }
        return;
    };
    let numeric =
        !matches!(column, Column::Name | Column::Mode | Column::Path | Column::Status | Column::Reason);
    let missing = |r: &ServiceRow| numeric && number(r, column).is_none();
    view.sort_by(|&i, &j| {
        let (a, b) = (&rows[i], &rows[j]);
        // Missing numbers sort last in either direction.
        let presence = missing(a).cmp(&missing(b));
        let primary = compare(a, b, column);
        let primary = if descending { primary.reverse() } else { primary };
        presence.then(primary).then_with(|| a.name.cmp(&b.name)).then(i.cmp(&j))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{PathStats, Traffic};

    fn row(name: &str, rps: Option<f64>) -> ServiceRow {
        ServiceRow {
            name: name.into(),
            traffic: rps.map(|rps| Traffic {
                rps,
                error_rate: 0.0,
                router: PathStats::default(),
                rest: PathStats::default(),
            }),
            ..ServiceRow::default()
        }
    }

    #[test]
    fn the_cycle_visits_every_sortable_column_then_config_order() {
        let mut seen = Vec::new();
        let mut current = next_sort(None);
        while let Some(c) = current {
            seen.push(c);
            current = next_sort(current);
        }
        let sortable: Vec<Column> = Column::ALL.into_iter().filter(|c| c.sortable()).collect();
        assert_eq!(seen, sortable);
    }

    #[test]
    fn sorts_stably_with_missing_numbers_last() {
        let rows = vec![row("c", Some(5.0)), row("a", None), row("b", Some(5.0)), row("d", Some(9.0))];
        let mut view: Vec<usize> = (0..rows.len()).collect();
        sort_order(&mut view, &rows, Some(Column::Rps), true);
        let names: Vec<&str> = view.iter().map(|&i| rows[i].name.as_str()).collect();
        assert_eq!(names, vec!["d", "b", "c", "a"]);
        sort_order(&mut view, &rows, None, false);
        assert_eq!(view, vec![0, 1, 2, 3]);
    }
}
