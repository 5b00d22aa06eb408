//! The cost of one console frame at 200×50 with 1 000 and 10 000 services
//! (targets: ≤ 1 ms and ≤ 10 ms median), drawn on `TestBackend`, and of
//! applying a fresh `/services` answer of the same size.
//!
//! Run: `cargo bench --bench ui`.

#[path = "../tests/support/screens.rs"]
#[allow(dead_code)]
mod screens;

use std::hint::black_box;
use std::time::Instant;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use switchboard::console::action::Msg;
use switchboard::console::app::App;
use switchboard::console::theme::Theme;
use switchboard::console::views;

fn ui(c: &mut Criterion) {
    let mut group = c.benchmark_group("console");
    for count in [1_000usize, 10_000] {
        let rows = screens::many_rows(count);
        let mut app = App::new(screens::settings(Theme::colored()), Instant::now());
        app.update(Msg::Services(Ok(rows.clone())));
        app.update(Msg::Events(Ok(screens::events_page())));
        app.update(Msg::Latency {
            service: "svc_00000".into(),
            window_s: 300,
            result: Ok(screens::latency("svc_00000", 300)),
        });
        // Somewhere in the middle of the list.
        for _ in 0..(count / 2) {
            app.perform(switchboard::console::action::UserAction::SelectNext);
        }
        let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();
        group.bench_with_input(BenchmarkId::new("draw_200x50", count), &count, |b, _| {
            b.iter(|| {
                terminal.draw(|f| views::draw(f, &mut app)).unwrap();
                black_box(terminal.backend().buffer().area);
            })
        });
        group.bench_with_input(BenchmarkId::new("apply_services", count), &count, |b, _| {
            b.iter(|| app.apply_services(black_box(rows.clone())))
        });
    }
    group.finish();
}

criterion_group!(benches, ui);
criterion_main!(benches);
