//! # merit-client
//!
//! The library behind the `merit` command line: every command is a function here, so tests (and
//! other programs) call them directly. Layout:
//!
//! - [`chain`]: the connection, the generated runtime interface, transaction submission and
//!   dispatch errors; pallet modules build on it: [`artifacts`], [`challenges`],
//!   [`submissions`], [`scoring`] (outcomes, leaderboards, evaluator setup), [`selections`]
//!   (final selections), [`teams`] (teams and their shares), [`panels`] (drawn panels, rounds of sealed reports, concluding a
//!   round), [`disputes`] (disputes, and the wait
//!   before a payout), [`rewards`] (reward terms, reviews, payout, pool ledgers),
//!   [`account`] (balances), [`record`] (TrackRecordApi, decoded with the node's metadata) and
//!   [`reports`] (an evaluator's sealed reports by hand: commit, reveal, abstain).
//! - Off-chain pieces: [`store`] (the content-addressed HTTP store), [`fetch`] (http/https/ipfs
//!   downloads), [`eval`] (local scoring with merit-metrics), [`verify`] (recomputing a
//!   challenge's scores), [`state`] (salts of sealed submissions and reports), [`keys`], [`units`],
//!   [`output`].
//! - The command line: [`args`] (clap's definitions), [`session`] (one command's connection,
//!   signer and output format) and [`commands`] (one handler module per role, dispatched by
//!   [`commands::run`]).
pub mod account;
pub mod args;
pub mod artifacts;
pub mod campaigns;
pub mod chain;
pub mod challenges;
pub mod commands;
pub mod delivery;
pub mod digest;
pub mod disputes;
pub mod eval;
pub mod fetch;
pub mod keys;
pub mod load;
pub mod names;
pub mod output;
pub mod panels;
pub mod progress;
pub mod record;
pub mod reports;
pub mod rewards;
pub mod scoring;
pub mod selections;
pub mod session;
pub mod state;
pub mod store;
pub mod submissions;
pub mod teams;
pub mod units;
pub mod verify;
pub mod web;
