//! Taking the terminal and giving it back: one guard whose `Drop` restores
//! it on every exit path; ratatui's panic hook restores it on a panic.

use ratatui::DefaultTerminal;

/// The terminal in raw mode on the alternate screen, restored when dropped.
pub struct TerminalGuard {
    /// The terminal to draw on.
    pub terminal: DefaultTerminal,
}

impl TerminalGuard {
    /// Enters raw mode and the alternate screen. Nothing else is enabled
    /// (no mouse capture, no bracketed paste), so there is nothing else to undo.
    pub fn enter() -> std::io::Result<Self> {
        Ok(Self { terminal: ratatui::try_init()? })
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        ratatui::restore();
    }
}
