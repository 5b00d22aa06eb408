//! The operations console: a full-screen dashboard that polls a controller
//! over HTTP, shows every service with its mode, health and decision
//! factors, and changes modes by keystroke.

pub mod action;
pub mod app;
pub mod columns;
pub mod command_line;
pub mod config;
pub mod event_loop;
pub mod keymap;
pub mod sort;
pub mod terminal;
pub mod theme;
pub mod views;
