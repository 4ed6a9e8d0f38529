//! Storage migrations of the artifacts pallet.
//!
//! Storage version history:
//! - 0: the layout since the pallet's first release ([`crate::Artifacts`] by digest). No migration
//!   has been needed yet; the next layout change adds `v1` here as a
//!   `frame_support::migrations::VersionedMigration` from 0 to 1, wired in the runtime's
//!   `Migrations`.
