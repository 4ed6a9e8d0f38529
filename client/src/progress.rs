//! Spinners for long waits. They draw on stderr only when it is a terminal, so scripts and
//! `--format json` output stay clean.
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::time::Duration;

/// A spinner with a message, ticking until finished.
pub fn spinner(message: impl Into<String>) -> ProgressBar {
	let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
	bar.set_style(ProgressStyle::with_template("{spinner} {msg} ({elapsed})").expect("the template is valid"));
	bar.set_message(message.into());
	bar.enable_steady_tick(Duration::from_millis(120));
	bar
}

/// A progress bar of `total` steps with a message (drawn only on a terminal, like the spinner).
pub fn bar(total: u64, message: impl Into<String>) -> ProgressBar {
	let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
	bar.set_style(
		ProgressStyle::with_template("{msg} {bar:30} {pos}/{len} ({elapsed}, {eta} left)")
			.expect("the template is valid"),
	);
	bar.set_message(message.into());
	bar
}
