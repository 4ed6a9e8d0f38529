//! Storage migrations of the scoring pallet.
//!
//! Storage version history:
//! - 0: the layout since the pallet's first release (evaluators, keys, reports and final outcomes
//!   per submission and subset). No migration has been needed yet; the next layout change adds `v1`
//!   here as a `frame_support::migrations::VersionedMigration` from 0 to 1, wired in the runtime's
//!   `Migrations`.
